// The HTTP client of the UI: bearer token from the session, problem+json errors turned into
// ApiError with the server's Chinese (or English) message and rule id.

export interface FieldProblem { field: string; code: string; message: string; rule: string | null }

export class ApiError extends Error {
  constructor(public status: number, public code: string, public title: string, public detail: string,
              public rule: string | null, public errors: FieldProblem[]) {
    super(detail || title)
  }
}

let token = sessionStorage.getItem('sscard.token') || ''
export function setToken(value: string) {
  token = value
  if (value) sessionStorage.setItem('sscard.token', value)
  else sessionStorage.removeItem('sscard.token')
}
export function hasToken() { return token !== '' }

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

async function request<T>(method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<T> {
  const init: RequestInit = { method, headers: { 'Accept-Language': language, ...headers } }
  if (token) (init.headers as Record<string, string>).Authorization = `Bearer ${token}`
  if (body !== undefined) init.body = body
  const response = await fetch(path, init)
  const text = await response.text()
  const data = text ? JSON.parse(text) : null
  if (!response.ok) {
    const problem = data || {}
    const error = problemOf(response, problem)
    if (response.status === 401 && path !== '/api/v1/auth/login') onUnauthenticated(error)
    throw error
  }
  return data as T
}

// Uploads a material or photo as its raw bytes (POST /api/v1/files).
export async function upload(file: File): Promise<{ file_id: string; sha256: string; bytes: number; content_type: string }> {
  const headers: Record<string, string> = { 'Accept-Language': language, 'Content-Type': file.type || 'application/octet-stream' }
  if (token) headers.Authorization = `Bearer ${token}`
  const response = await fetch('/api/v1/files', { method: 'POST', headers, body: file })
  const data = await response.json().catch(() => ({}))
  if (!response.ok) throw problemOf(response, data)
  return data
}

function problemOf(response: Response, problem: any): ApiError {
  return new ApiError(response.status, problem.code || 'HTTP_' + response.status, problem.title || response.statusText,
                      problem.detail || '', problem.rule || null, problem.errors || [])
}

// A GET of a non-JSON resource (a CSV download) with the session's token.
export async function authorizedFetch(path: string): Promise<Response> {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}`, 'Accept-Language': language } })
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
