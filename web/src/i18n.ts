import { createI18n } from 'vue-i18n'
import { language } from './api'

// Chinese first; English for visitors and trainers.
export const i18n = createI18n({
  legacy: false,
  locale: language === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: {
    'zh-CN': {
      app: '社会保障卡业务平台', dashboard: '工作台', intake: '综合受理', cases: '已办业务查询', review: '审核', cardsMenu: '卡片查询与发放', production: '制卡管理', admin: '系统管理', signOut: '退出',
      signIn: '登录', username: '用户名', password: '密码', level: { province: '省级', city: '市级', county: '县级', town: '镇级' },
    },
    en: {
      app: 'Social Security Card Platform', dashboard: 'Dashboard', intake: 'Intake', cases: 'Cases handled', review: 'Review', cardsMenu: 'Cards', production: 'Production', admin: 'Admin', signOut: 'Sign out',
      signIn: 'Sign in', username: 'Username', password: 'Password', level: { province: 'province', city: 'city', county: 'county', town: 'town' },
    },
  },
})
