// The citizen's session, in one place: the bearer token in memory and in sessionStorage
// (key `sscard.citizen`), with the masked citizen the server answered at sign-in. Should the
// server move the session to an HttpOnly cookie, only this module changes.
import { reactive } from 'vue'

export interface Citizen { name: string; id_type: string; id_number: string; phone: string }
export interface SignInAnswer { token: string; expires_at?: string; citizen?: Citizen }

const KEY = 'sscard.citizen'

export const session = reactive({
  token: '',
  expiresAt: '',
  citizen: null as Citizen | null,
  // The server's words when it ended the session (shown at sign-in).
  signedOutBecause: '',
})

function restore() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) || 'null')
    if (stored && typeof stored.token === 'string') {
      session.token = stored.token
      session.expiresAt = stored.expires_at || ''
      session.citizen = stored.citizen || null
    }
  } catch {
    sessionStorage.removeItem(KEY)
  }
}
restore()

function save() {
  if (session.token) {
    sessionStorage.setItem(KEY, JSON.stringify({ token: session.token, expires_at: session.expiresAt, citizen: session.citizen }))
  } else {
    sessionStorage.removeItem(KEY)
  }
}

export function signedIn(): boolean {
  if (!session.token) return false
  if (session.expiresAt && Date.parse(session.expiresAt) <= Date.now()) return false
  return true
}

export function bearer(): string { return session.token }

export function startSession(answer: SignInAnswer) {
  session.token = answer.token
  session.expiresAt = answer.expires_at || ''
  session.citizen = answer.citizen || null
  session.signedOutBecause = ''
  save()
}

export function setCitizen(citizen: Citizen) {
  session.citizen = citizen
  save()
}

export function endSession(reason = '') {
  session.token = ''
  session.expiresAt = ''
  session.citizen = null
  session.signedOutBecause = reason
  save()
}

// Re-reads sessionStorage (tests; a second tab signing in does not concern us).
export function reloadSession() {
  session.token = ''
  session.expiresAt = ''
  session.citizen = null
  restore()
}
