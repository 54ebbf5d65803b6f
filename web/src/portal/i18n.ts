import { createI18n } from 'vue-i18n'
import { language } from './api'
import zhCN from './locales/zh-CN.json'
import en from './locales/en.json'

// Chinese first, English on request; tests/portal/locales.test.ts keeps both catalogues equal.
export const messages = { 'zh-CN': zhCN, en }

export function createPortalI18n(locale = language) {
  return createI18n({ legacy: false, locale: locale === 'en' ? 'en' : 'zh-CN', fallbackLocale: 'zh-CN', messages })
}
