import { defineStore } from 'pinia'
import { api } from './api'
import { forgetSession, mayHaveSession } from './csrf'

export interface User { username: string; name: string; org_code: string; org_level: string; region_code: string; roles: string[] }

// The signed-in account: its org, level and roles decide what the menu offers.
export const useSession = defineStore('session', {
  // signedOutBecause: the server's words when it ended the session (shown at sign-in).
  state: () => ({ user: null as User | null, signedOutBecause: '' }),
  getters: {
    can: (state) => (role: string) => state.user?.roles.includes(role) ?? false,
    // A partner department's interface account (R-ONE-1): it verifies the e-card QR codes
    // holders show (扫码核验) and has no staff screen.
    partnerOnly: (state) => !!state.user && state.user.roles.every((role) => role === 'partner' || role === 'data_partner'),
    // A paying department's account (R-ONE-7): it sends benefit payment batches, nothing else.
    payerOnly: (state) => !!state.user && state.user.roles.every((role) => role === 'payer'),
    // The one screen a partner or payer account may open; null for staff, who open the menu's.
    onlyScreen(): string | null {
      if (this.partnerOnly) return '/verify'
      if (this.payerOnly) return '/payments'
      return null
    },
    // Case records, bundles and uploads are read by the window, review and audit roles; the
    // card roles (stock keeper, card centre) read cards only (R-SEC-1).
    readsCases(): boolean {
      return this.can('clerk') || this.can('reviewer') || this.can('auditor')
    },
    // Where an account lands after sign-in.
    landing(): string {
      if (this.onlyScreen) return this.onlyScreen
      if (this.can('reviewer')) return '/review'
      if (this.can('clerk')) return '/intake'
      if (this.readsCases) return '/cases'
      if (this.can('card_centre')) return '/production'
      if (this.can('stock_keeper')) return '/cards'
      return '/dashboard'
    },
  },
  actions: {
    // The server answers the session in an HttpOnly cookie (and the CSRF value in a readable
    // one), never a token for the page to keep.
    async login(username: string, password: string) {
      const answer = await api<{ csrf_token: string; expires_at: string; user: User }>('POST', '/api/v1/auth/login',
                                                                                     { username, password, session: 'cookie' })
      this.user = answer.user
      this.signedOutBecause = ''
    },
    // After a reload: the cookie session, if the browser has one (a 401 means signed out).
    async restore() {
      if (!mayHaveSession()) return
      try { this.user = await api<User>('GET', '/api/v1/auth/me') } catch { this.user = null }
    },
    // The server clears both cookies; the readable one is dropped here too should it not answer.
    async logout() {
      try { await api('POST', '/api/v1/auth/logout') } finally { forgetSession(); this.user = null }
    },
  },
})
