// The portal's screens under /m/. Tab screens show the bottom bar; public screens (sign-in,
// progress query, home-service booking) need no account.
import { createRouter, createWebHistory, type Router, type RouterHistory } from 'vue-router'
import { describe, whenSignedOut } from './api'
import { endSession, resumeSession, signedIn } from './session'
import Login from './views/Login.vue'
import Home from './views/Home.vue'
import Cards from './views/Cards.vue'
import ECard from './views/ECard.vue'
import Cases from './views/Cases.vue'
import Me from './views/Me.vue'
import Apply from './views/Apply.vue'
import Loss from './views/Loss.vue'
import Activate from './views/Activate.vue'
import Change from './views/Change.vue'
import Track from './views/Track.vue'
import Bundle from './views/Bundle.vue'
import Booking from './views/Booking.vue'
import Inbox from './views/Inbox.vue'
import AccessLog from './views/AccessLog.vue'
import Consents from './views/Consents.vue'

declare module 'vue-router' {
  interface RouteMeta { title?: string; tab?: boolean; public?: boolean }
}

export const routes = [
  { path: '/', redirect: '/home' },
  { path: '/login', component: Login, meta: { title: 'nav.login', public: true } },
  { path: '/home', component: Home, meta: { title: 'nav.home', tab: true } },
  { path: '/cards', component: Cards, meta: { title: 'nav.cards', tab: true } },
  { path: '/ecard', component: ECard, meta: { title: 'nav.ecard', tab: true } },
  { path: '/cases', component: Cases, meta: { title: 'nav.cases', tab: true } },
  { path: '/me', component: Me, meta: { title: 'nav.me', tab: true } },
  { path: '/apply', component: Apply, meta: { title: 'nav.apply' } },
  { path: '/loss', component: Loss, meta: { title: 'nav.loss' } },
  { path: '/activate', component: Activate, meta: { title: 'nav.activate' } },
  { path: '/change', component: Change, meta: { title: 'nav.change' } },
  { path: '/track', component: Track, meta: { title: 'nav.track', public: true } },
  { path: '/bundle', component: Bundle, meta: { title: 'nav.bundle' } },
  { path: '/booking', component: Booking, meta: { title: 'nav.booking', public: true } },
  { path: '/inbox', component: Inbox, meta: { title: 'nav.inbox' } },
  { path: '/access-log', component: AccessLog, meta: { title: 'nav.accessLog' } },
  { path: '/consents', component: Consents, meta: { title: 'nav.consents' } },
  { path: '/:rest(.*)*', redirect: '/home' },
]

export function createPortalRouter(history: RouterHistory = createWebHistory('/m/')) {
  const router = createRouter({ history, routes, scrollBehavior: () => ({ top: 0 }) })
  router.beforeEach(async (to) => {
    if (to.meta.public) return true
    if (!(await resumeSession())) return { path: '/login', query: to.fullPath !== '/home' ? { redirect: to.fullPath } : {} }
    return true
  })
  return router
}

// The server ended the session (expired, signed out elsewhere): to sign-in, with its words,
// and back to the screen afterwards.
export function signInWhenSessionEnds(router: Router) {
  whenSignedOut((problem) => {
    endSession(signedIn() ? describe(problem) : '')
    const here = router.currentRoute.value
    if (here.path !== '/login') router.push({ path: '/login', query: here.meta.public ? {} : { redirect: here.fullPath } })
  })
}
