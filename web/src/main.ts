import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { createRouter, createWebHistory } from 'vue-router'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { i18n } from './i18n'
import { describe, whenSignedOut } from './api'
import { useSession } from './session'
import Login from './views/Login.vue'
import Intake from './views/Intake.vue'
import Bundle from './views/Bundle.vue'
import Bookings from './views/Bookings.vue'
import Cases from './views/Cases.vue'
import Review from './views/Review.vue'
import Cards from './views/Cards.vue'
import Production from './views/Production.vue'
import Dashboard from './views/Dashboard.vue'
import Admin from './views/Admin.vue'
import Verify from './views/Verify.vue'
import Payments from './views/Payments.vue'

const router = createRouter({
  history: createWebHistory(),
  routes: [
    // Before the session is restored (a reload) the guard below sends a partner or payer on.
    { path: '/', redirect: () => (useSession().user ? useSession().landing : '/intake') },
    { path: '/login', component: Login },
    { path: '/intake', component: Intake },
    { path: '/bundle', component: Bundle },
    { path: '/bookings', component: Bookings },
    { path: '/cases', component: Cases },
    { path: '/review', component: Review },
    { path: '/cards', component: Cards },
    { path: '/production', component: Production },
    { path: '/dashboard', component: Dashboard },
    { path: '/admin', component: Admin },
    { path: '/verify', component: Verify },
    { path: '/payments', component: Payments },
  ],
})

const app = createApp(App)
app.use(createPinia()).use(i18n).use(ElementPlus, { locale: zhCn })
const session = useSession()
whenSignedOut((problem) => {
  if (session.user) session.signedOutBecause = describe(problem)
  session.user = null  // the api already forgot the cookie session
  router.push('/login')
})
router.beforeEach(async (to) => {
  if (!session.user) await session.restore()
  if (!session.user && to.path !== '/login') return '/login'
  // A partner's or payer's account has one screen; any other address leads there.
  const only = session.onlyScreen
  if (only && to.path !== only && to.path !== '/login') return only
  return true
})
app.use(router).mount('#app')
