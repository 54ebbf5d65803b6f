// The HTTP client of the UI: the session is the HttpOnly cookie the browser sends itself (see
// ./csrf; no token is kept in the page), unsafe requests carry X-CSRF-Token, problem+json
// errors are turned into ApiError with the server's Chinese (or English) message and rule id.
import { csrfHeaders, forgetSession } from './csrf'

export interface FieldProblem { field: string; code: string; message: string; rule: string | null }

export class ApiError extends Error {
  constructor(public status: number, public code: string, public title: string, public detail: string,
              public rule: string | null, public errors: FieldProblem[]) {
    super(detail || title)
  }
}

// A tab left open across the upgrade drops the bearer token earlier versions kept here.
sessionStorage.removeItem('sscard.token')

export let language = localStorage.getItem('sscard.lang') || 'zh-CN'
export function setLanguage(value: string) { language = value; localStorage.setItem('sscard.lang', value) }

// Called when the server ends the session (expired, signed out elsewhere, account disabled),
// with its problem so the sign-in screen can say why.
let onUnauthenticated: (problem: ApiError) => void = () => {}
export function whenSignedOut(handler: (problem: ApiError) => void) { onUnauthenticated = handler }

export async function api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  if (body === undefined) return request<T>(method, path, undefined, headers)
  return request<T>(method, path, JSON.stringify(body), { ...headers, 'Content-Type': 'application/json' })
}

// A body that is not JSON (a CSV of payment rows), answered in JSON.
export async function apiText<T = any>(method: string, path: string, text: string, contentType: string,
                                       headers: Record<string, string> = {}): Promise<T> {
  return request<T>(method, path, text, { ...headers, 'Content-Type': contentType })
}

// Every request sends the session cookie (same origin only) and, unless it only reads, the
// CSRF value; a refused CSRF check (403 CSRF_FAILED) is a problem like any other.
function initOf(method: string, headers: Record<string, string>, body?: BodyInit): RequestInit {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { 'Accept-Language': language, ...csrfHeaders(method), ...headers } }
  if (body !== undefined) init.body = body
  return init
}

async function request<T>(method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<T> {
  const response = await fetch(path, initOf(method, headers, body))
  const text = await response.text()
  const data = text ? JSON.parse(text) : null
  if (!response.ok) {
    const problem = data || {}
    const error = problemOf(response, problem)
    if (response.status === 401 && path !== '/api/v1/auth/login') {
      forgetSession()
      onUnauthenticated(error)
    }
    throw error
  }
  return data as T
}

// Uploads a material or photo as its raw bytes (POST /api/v1/files).
export async function upload(file: File): Promise<{ file_id: string; sha256: string; bytes: number; content_type: string }> {
  const response = await fetch('/api/v1/files', initOf('POST', { 'Content-Type': file.type || 'application/octet-stream' }, file))
  const data = await response.json().catch(() => ({}))
  if (!response.ok) throw problemOf(response, data)
  return data
}

function problemOf(response: Response, problem: any): ApiError {
  return new ApiError(response.status, problem.code || 'HTTP_' + response.status, problem.title || response.statusText,
                      problem.detail || '', problem.rule || null, problem.errors || [])
}

// A GET of a non-JSON resource (a CSV download, an uploaded file) in the session.
export async function authorizedFetch(path: string): Promise<Response> {
  const response = await fetch(path, initOf('GET', {}))
  if (!response.ok) {
    throw problemOf(response, await response.json().catch(() => ({})))
  }
  return response
}

// One line a clerk can read: the message, the rule id, every field problem.
export function describe(error: unknown): string {
  if (!(error instanceof ApiError)) return String(error)
  const lines = [error.detail || error.title]
  if (error.rule) lines[0] += `（${error.rule}）`
  for (const problem of error.errors) lines.push(`${problem.field}：${problem.message}${problem.rule ? `（${problem.rule}）` : ''}`)
  return lines.join('\n')
}
