// The citizen mobile portal (served under /m/): Vue 3 + Vant 4, Chinese first.
import { createApp } from 'vue'
import 'vant/lib/index.css'
import App from './App.vue'
import { createPortalI18n } from './i18n'
import { createPortalRouter, signInWhenSessionEnds } from './router'
import { language } from './api'
import { useVantLocale, vant } from './vant'

const router = createPortalRouter()
const i18n = createPortalI18n()
useVantLocale(language)
document.documentElement.lang = language
signInWhenSessionEnds(router)

createApp(App).use(i18n).use(vant).use(router).mount('#app')
