// Mounts a screen or component as the app does: Element Plus, vue-i18n (zh-CN unless asked),
// Pinia. fetch is replaced by a table of canned answers, and every call is recorded.
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { createI18n } from 'vue-i18n'
import { vi } from 'vitest'
import type { Component } from 'vue'
import { messages } from '../src/i18n'

export interface Call { method: string; url: string; headers: Record<string, string>; credentials?: RequestCredentials; body: unknown }

// answers: "METHOD path-prefix" → JSON body (or a function of the request's body).
export function fakeFetch(answers: Record<string, unknown | ((body: any) => unknown)>) {
  const calls: Call[] = []
  const fetchMock = vi.fn(async (url: string, init: RequestInit = {}) => {
    const method = init.method || 'GET'
    const body = typeof init.body === 'string' ? parsedOrText(init.body) : init.body
    calls.push({ method, url, headers: (init.headers || {}) as Record<string, string>, credentials: init.credentials, body })
    const key = Object.keys(answers).filter((k) => k.startsWith(method + ' ') && url.startsWith(k.slice(method.length + 1)))
      .sort((a, b) => b.length - a.length)[0]
    if (!key) return new Response(JSON.stringify({ code: 'ROUTE_NOT_FOUND', title: 'not found' }), { status: 404 })
    const answer = answers[key]
    const value = typeof answer === 'function' ? (answer as (body: any) => unknown)(body) : answer
    if (value instanceof Response) return value
    return new Response(JSON.stringify(value), { status: 200, headers: { 'Content-Type': 'application/json' } })
  })
  vi.stubGlobal('fetch', fetchMock)
  return calls
}

// A JSON body as its value; any other text (a CSV upload) as it is.
function parsedOrText(text: string): unknown {
  try { return JSON.parse(text) } catch { return text }
}

export function mountWith(component: Component, options: { props?: Record<string, unknown>; locale?: string } = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const i18n = createI18n({ legacy: false, locale: options.locale ?? 'zh-CN', fallbackLocale: 'zh-CN', messages })
  return mount(component, { props: options.props, attachTo: document.body, global: { plugins: [ElementPlus, i18n, pinia] } })
}

// Lets pending promises and Vue's updates settle.
export async function settle(rounds = 5) {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0))
}
