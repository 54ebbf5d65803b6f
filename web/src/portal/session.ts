// The citizen's session, in one place. The server keeps it in the HttpOnly cookie
// `sscard_session` (no script in the page can read it; see ../csrf); this module keeps only
// what the screens show — that the citizen signed in, until when, and the masked citizen the
// server answered — in memory and in sessionStorage (key `sscard.citizen`), so a reload stays
// signed in. No token is kept anywhere in the page.
import { reactive } from 'vue'
import { forgetSession, mayHaveSession } from '../csrf'

export interface Citizen { name: string; id_type: string; id_number: string; phone: string }
// A sign-in answer with "session": "cookie": the CSRF value (also in the sscard_csrf cookie,
// where the client reads it), no token.
export interface SignInAnswer { csrf_token?: string; expires_at?: string; citizen?: Citizen }

const KEY = 'sscard.citizen'

export const session = reactive({
  active: false,
  expiresAt: '',
  citizen: null as Citizen | null,
  // The server's words when it ended the session (shown at sign-in).
  signedOutBecause: '',
})

function restore() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) || 'null')
    if (stored && typeof stored.token === 'string') {
      // Kept by an earlier version with the bearer token: gone, the citizen signs in again.
      sessionStorage.removeItem(KEY)
    } else if (stored && stored.signed_in === true) {
      session.active = true
      session.expiresAt = stored.expires_at || ''
      session.citizen = stored.citizen || null
    }
  } catch {
    sessionStorage.removeItem(KEY)
  }
}
restore()

function save() {
  if (session.active) {
    sessionStorage.setItem(KEY, JSON.stringify({ signed_in: true, expires_at: session.expiresAt, citizen: session.citizen }))
  } else {
    sessionStorage.removeItem(KEY)
  }
}

export function signedIn(): boolean {
  if (!session.active) return false
  if (session.expiresAt && Date.parse(session.expiresAt) <= Date.now()) return false
  return true
}

export function startSession(answer: SignInAnswer) {
  session.active = true
  session.expiresAt = answer.expires_at || ''
  session.citizen = answer.citizen || null
  session.signedOutBecause = ''
  save()
}

export function setCitizen(citizen: Citizen) {
  session.citizen = citizen
  save()
}

// Signed out here (sign-out, or the server ended the session): the readable CSRF cookie goes
// too, so the session is not resumed; sign-out has the server clear both cookies.
export function endSession(reason = '') {
  session.active = false
  session.expiresAt = ''
  session.citizen = null
  session.signedOutBecause = reason
  forgetSession()
  save()
}

// A tab that does not know the session (opened anew) while the browser has the cookie: asks
// the server who is signed in (GET /api/v1/me) once, and carries on signed in if a citizen is.
// A plain fetch, so a refusal (no session, a staff session) only means "not signed in".
let resumeTried = false
export async function resumeSession(): Promise<boolean> {
  if (signedIn()) return true
  if (resumeTried || !mayHaveSession()) return false
  resumeTried = true
  try {
    const response = await fetch('/api/v1/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    if (!response.ok) return false
    const answer = await response.json()
    if (!answer?.citizen) return false
    startSession({ citizen: answer.citizen })
    return true
  } catch {
    return false
  }
}

// Re-reads sessionStorage (tests; a second tab signing in does not concern us).
export function reloadSession() {
  session.active = false
  session.expiresAt = ''
  session.citizen = null
  resumeTried = false
  restore()
}
