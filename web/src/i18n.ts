import { createI18n } from 'vue-i18n'
import { language } from './api'
import zhCN from './locales/zh-CN.json'
import en from './locales/en.json'

// Chinese first; English for visitors and trainers. Both catalogues carry the same keys
// (tests/locales.test.ts keeps them so).
export const messages = { 'zh-CN': zhCN, en }

export const i18n = createI18n({
  legacy: false,
  locale: language === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages,
})
