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
      board: { pending: '待审核办件', overdue: '超期未办结', oldStock: '库存超过6个月的卡', byItem: '{date} 受理办件（按事项）',
               byOrg: '{date} 受理办件（按机构）', item: '事项', org: '受理机构', count: '件数' },
      prod: { title: '制卡管理', fast: '生成快速制卡批次', batch: '生成批量制卡批次', lateOnly: '只看超期批次', seal: '封存', cancel: '注销',
              sweep: '清理超期库存与到期卡', batchNo: '批次号', mode: '方式', status: '状态', size: '张数', produced: '制成',
              failed: '失败', due: '应制成日期', actions: '操作', download: '下载制卡数据', results: '登记制卡结果',
              resultsHelp: '每行一张卡：卡号表示制成；“卡号,failed,原因”表示制卡失败（将重新制卡）。', submit: '提交' },
    },
    en: {
      app: 'Social Security Card Platform', dashboard: 'Dashboard', intake: 'Intake', cases: 'Cases handled', review: 'Review', cardsMenu: 'Cards', production: 'Production', admin: 'Admin', signOut: 'Sign out',
      signIn: 'Sign in', username: 'Username', password: 'Password', level: { province: 'province', city: 'city', county: 'county', town: 'town' },
      board: { pending: 'Cases pending review', overdue: 'Overdue cases', oldStock: 'Cards in stock over 6 months',
               byItem: 'Cases accepted on {date}, by item', byOrg: 'Cases accepted on {date}, by org', item: 'Item', org: 'Accepting org', count: 'Cases' },
      prod: { title: 'Production', fast: 'New fast batch', batch: 'New batch-mode batch', lateOnly: 'Late batches only', seal: 'seal',
              cancel: 'cancel', sweep: 'Sweep old stock and expired cards', batchNo: 'Batch', mode: 'Mode', status: 'Status',
              size: 'Cards', produced: 'Produced', failed: 'Failed', due: 'Due on', actions: 'Actions', download: 'Download file',
              results: 'Record results', resultsHelp: 'One card a line: the card number when produced; "card_no,failed,reason" when it failed (it is made again).',
              submit: 'Submit' },
    },
  },
})
