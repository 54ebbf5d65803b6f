// The portal's HTTP client: JSON in and out, the citizen's session in the HttpOnly cookie the
// browser sends itself (no token in the page; unsafe requests carry X-CSRF-Token, see
// ../csrf), Accept-Language following the UI, problem+json refusals (403 CSRF_FAILED too)
// turned into ApiError with the server's message, rule id and field problems.
import { csrfHeaders, forgetSession } from '../csrf'

// The answer to a one-time code request (POST /citizens/codes, POST /me/codes).
export interface CodeAnswer { sent?: boolean; expires_in?: number; retry_after?: number; demo_code?: string }

export interface FieldProblem { field: string; code: string; message: string; rule: string | null }

export class ApiError extends Error {
  constructor(public status: number, public code: string, public title: string, public detail: string,
              public rule: string | null, public errors: FieldProblem[], public retryAfter = 0) {
    super(detail || title)
  }
}

const LANGUAGE_KEY = 'sscard.portal.lang'
export let language = localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh-CN'
export function setLanguage(value: string) {
  language = value === 'en' ? 'en' : 'zh-CN'
  localStorage.setItem(LANGUAGE_KEY, language)
}

// Answers where 401 means "wrong code or password", not "your session ended".
const SIGN_IN = ['/api/v1/citizens/login', '/api/v1/citizens/register', '/api/v1/citizens/codes']

let onUnauthenticated: (problem: ApiError) => void = () => {}
export function whenSignedOut(handler: (problem: ApiError) => void) { onUnauthenticated = handler }

function initOf(method: string, extra: Record<string, string>, body?: BodyInit): RequestInit {
  const headers = { Accept: 'application/json', 'Accept-Language': language, ...csrfHeaders(method), ...extra }
  const init: RequestInit = { method, credentials: 'same-origin', headers }
  if (body !== undefined) init.body = body
  return init
}

async function answerOf<T>(path: string, response: Response): Promise<T> {
  const text = await response.text()
  let data: any = null
  try { data = text ? JSON.parse(text) : null } catch { data = null }
  if (!response.ok) {
    const error = problemOf(response, data || {})
    if (response.status === 401 && !SIGN_IN.includes(path)) {
      forgetSession()
      onUnauthenticated(error)
    }
    throw error
  }
  return data as T
}

export async function api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init = body === undefined ? initOf(method, headers)
                                  : initOf(method, { ...headers, 'Content-Type': 'application/json' }, JSON.stringify(body))
  return answerOf<T>(path, await fetch(path, init))
}

// A raw body (the photo check and the upload take the JPEG bytes as they are).
export async function sendBytes<T = any>(path: string, body: Blob, contentType: string): Promise<T> {
  const response = await fetch(path, initOf('POST', { 'Content-Type': contentType }, body))
  return answerOf<T>(path, response)
}

function problemOf(response: Response, problem: any): ApiError {
  const retryAfter = Number(response.headers?.get?.('Retry-After') || 0) || 0
  return new ApiError(response.status, problem.code || 'HTTP_' + response.status, problem.title || response.statusText || '',
                      problem.detail || '', problem.rule || null, Array.isArray(problem.errors) ? problem.errors : [], retryAfter)
}

// The refusal as lines a citizen can read: the message with its rule id, then every field problem.
export function problemLines(error: unknown): string[] {
  if (!(error instanceof ApiError)) return [error instanceof Error ? error.message : String(error)]
  const lines = [(error.detail || error.title || error.code) + (error.rule ? `（${error.rule}）` : '')]
  for (const problem of error.errors) {
    const line = problem.message + (problem.rule ? `（${problem.rule}）` : '')
    if (line !== lines[0]) lines.push(line)
  }
  return lines
}
export const describe = (error: unknown) => problemLines(error).join('\n')

// A fresh Idempotency-Key, also where crypto.randomUUID is missing (plain http on a LAN).
export { idempotencyKey } from '../idempotency'
