// Mounts a portal screen as the app does: Vant, the portal's vue-i18n (zh-CN unless asked)
// and its router on a memory history. fetch is replaced by a table of canned answers and
// every call is recorded (raw bodies — a photo — are kept as they were sent).
import { mount } from '@vue/test-utils'
import { createMemoryHistory, type Router } from 'vue-router'
import { vi } from 'vitest'
import type { Component } from 'vue'
import { createPortalI18n } from '../../src/portal/i18n'
import { createPortalRouter } from '../../src/portal/router'
import { vant } from '../../src/portal/vant'

export interface Call { method: string; url: string; headers: Record<string, string>; credentials?: RequestCredentials; body: any }
export class Canned {
  constructor(public status: number, public body?: unknown, public headers: Record<string, string> = {}) {}
}

// An answer with a status other than 200, or headers (Retry-After).
export const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) => new Canned(status, body, headers)
export const problem = (status: number, fields: Record<string, unknown>) =>
  reply(status, { type: 'about:blank', title: 'refused', status, request_id: 'r1', errors: [], ...fields },
        { 'Content-Type': 'application/problem+json' })

// answers: "METHOD path-prefix" → a JSON body, a reply(), or a function of the request body
// returning either; the longest matching prefix wins.
export function fakeFetch(answers: Record<string, unknown>) {
  const calls: Call[] = []
  const fetchMock = vi.fn(async (url: string, init: RequestInit = {}) => {
    const method = init.method || 'GET'
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body
    calls.push({ method, url, headers: (init.headers || {}) as Record<string, string>, credentials: init.credentials, body })
    const key = Object.keys(answers).filter((k) => k.startsWith(method + ' ') && url.startsWith(k.slice(method.length + 1)))
      .sort((a, b) => b.length - a.length)[0]
    let answer: any = key ? answers[key] : reply(404, { code: 'ROUTE_NOT_FOUND', title: 'not found', status: 404 })
    if (typeof answer === 'function') answer = answer(body)
    const canned = answer instanceof Canned ? answer : new Canned(200, answer)
    const text = canned.body === undefined ? '' : JSON.stringify(canned.body)
    // A plain object with what the client reads (no stream machinery under fake timers).
    return {
      ok: canned.status >= 200 && canned.status < 300, status: canned.status, statusText: '',
      headers: new Headers(canned.headers || {}), text: async () => text, json: async () => JSON.parse(text || 'null'),
    }
  })
  vi.stubGlobal('fetch', fetchMock)
  return calls
}

// jsdom has no layout: Vant's tabs and the form's scroll-to-error scroll nothing.
window.scrollTo = () => {}

// setup: called with the router before the screen mounts (as main.ts wires it).
export async function mountPortal(component: Component, options: { path?: string; locale?: string; setup?: (router: Router) => void } = {}) {
  const router = createPortalRouter(createMemoryHistory())
  options.setup?.(router)
  await router.push(options.path ?? '/')
  await router.isReady()
  const wrapper = mount(component, {
    attachTo: document.body,
    global: { plugins: [createPortalI18n(options.locale ?? 'zh-CN'), vant, router] },
  })
  await settle()
  await new Promise((resolve) => setTimeout(resolve, 0))  // Vant's tabs and popups render after a tick
  await settle()
  return { wrapper, router }
}

// Lets pending promises and Vue's updates settle without timers (works under fake timers too).
export async function settle(rounds = 60) {
  for (let i = 0; i < rounds; i++) await Promise.resolve()
}

// Chooses a file in an <input type=file> as a person would.
export async function chooseFile(input: HTMLInputElement, file: File) {
  Object.defineProperty(input, 'files', { value: [file], configurable: true })
  input.dispatchEvent(new Event('change'))
}

// A fake JPEG of `bytes` bytes (the server decides whether it is a good photo).
export function jpeg(bytes = 25_000, name = 'photo.jpg'): File {
  const data = new Uint8Array(bytes)
  data.set([0xff, 0xd8, 0xff, 0xe0])
  data.set([0xff, 0xd9], bytes - 2)
  return new File([data], name, { type: 'image/jpeg' })
}
