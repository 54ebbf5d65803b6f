// The browser session of both UIs (staff and portal): the server keeps its token in the
// HttpOnly cookie `sscard_session`, which no script in the page can read, and the browser sends
// it with every same-origin request. A request that changes something must also carry the
// session's CSRF value in X-CSRF-Token; the server puts that value in the readable cookie
// `sscard_csrf` at sign-in (a page of another site cannot read it). Nothing here is a secret
// worth stealing on its own: without the HttpOnly cookie the CSRF value opens nothing.

// Over https the server names its cookies with the __Host- prefix (no sibling site can plant
// them); over plain http (the demo on a laptop) without it.
const CSRF_COOKIES = ['__Host-sscard_csrf', 'sscard_csrf']

// The CSRF value of the current session, '' when there is none (never signed in, signed out,
// or forgotten after the server ended the session).
export function csrfToken(): string {
  for (const part of document.cookie.split(';')) {
    const pair = part.trim()
    const equals = pair.indexOf('=')
    if (equals > 0 && CSRF_COOKIES.includes(pair.slice(0, equals))) return decodeURIComponent(pair.slice(equals + 1))
  }
  return ''
}

// Whether a cookie session may be there (the server checks; this only saves a request).
export function mayHaveSession(): boolean { return csrfToken() !== '' }

// Headers for a request of `method`: X-CSRF-Token on anything but GET and HEAD.
export function csrfHeaders(method: string): Record<string, string> {
  const upper = method.toUpperCase()
  if (upper === 'GET' || upper === 'HEAD') return {}
  const token = csrfToken()
  return token ? { 'X-CSRF-Token': token } : {}
}

// Drops the readable cookie once the server has ended the session (401) or the user signed
// out, so the UI does not try to resume a session that is gone. The HttpOnly cookie is the
// server's to clear (sign-out does; an ended session's cookie opens nothing).
export function forgetSession() {
  const secure = typeof location !== 'undefined' && location.protocol === 'https:' ? '; Secure' : ''
  for (const name of CSRF_COOKIES) {
    if (name.startsWith('__Host-') && !secure) continue  // a __Host- cookie is only ever set over https
    document.cookie = `${name}=; Path=/; Max-Age=0; SameSite=Strict${secure}`
  }
}
