// Readable names of card states, bank-account states, e-card states and card-log events:
// Chinese for zh-CN; in English the codes themselves, which are English words.

const STATUS: Record<string, string> = {
  pending_review: '待审核', approved: '待制卡', in_production: '制卡中', produced: '已制成', in_stock: '已入库待领',
  mailed: '已邮寄', issued: '已发放', active: '已启用', temporary_loss: '临时挂失', formal_loss: '正式挂失',
  replaced: '已换卡停用', cancelled: '已注销', expired: '已过期', defective: '不合格', sealed: '已封存',
}
const ACCOUNT: Record<string, string> = {
  not_activated: '未激活', active: '正常', temporary_loss: '临时挂失', formal_loss: '正式挂失', closed: '已销户',
}
const ECARD: Record<string, string> = { none: '未签发', active: '正常', suspended: '暂停', cancelled: '已注销' }
const EVENT: Record<string, string> = {
  'case.accept': '受理', 'case.approve': '审核通过', 'case.reject': '驳回', 'case.complete': '办结', 'case.issue': '办件：发放',
  'case.arrive': '办件：入库', 'case.mail': '办件：邮寄', 'case.read_test_failed': '办件：读卡不合格', approve: '待制卡',
  start_production: '编入制卡批次', produced: '制卡完成', production_failed: '制卡失败', produce_instant: '即时制卡',
  arrive: '入库', mail: '邮寄', deliver: '邮寄签收', issue: '发放', read_test_failed: '读卡检测不合格', remake: '重新制卡',
  'ecard.issued': '电子社保卡签发', activate: '启用', temporary_loss: '临时挂失', formal_loss: '正式挂失',
  cancel_loss: '解除挂失', replacement_applied: '申请补换卡', replacement_dropped: '补换卡未办理', replace: '原卡停用',
  cancel: '注销', expire: '有效期届满', seal: '封存', 'notice.expiry': '到期换卡通知', 'notice.child_7': '满7周岁换卡通知',
}
const ACCOUNT_EVENT: Record<string, string> = {
  account_activated: '账户激活', account_temporary_loss: '账户临时挂失', account_formal_loss: '账户正式挂失',
  account_loss_lifted: '账户解挂', account_closed: '账户销户', card_destroyed: '卡片销毁',
}

const english = (locale: string) => locale === 'en'
const words = (code: string) => code.replace(/[._]/g, ' ')

export function statusText(status: string, locale = 'zh-CN'): string {
  return english(locale) ? words(status) : STATUS[status] || status
}
export function accountText(status: string, locale = 'zh-CN'): string {
  return english(locale) ? words(status) : ACCOUNT[status] || status
}
export function ecardText(status: string, locale = 'zh-CN'): string {
  return english(locale) ? words(status) : ECARD[status] || status
}
// Bank events arrive as "bank.<event>"; unknown events show their code.
export function eventText(event: string, locale = 'zh-CN'): string {
  if (english(locale)) return words(event)
  if (EVENT[event]) return EVENT[event]
  if (event.startsWith('bank.')) return '银行报告：' + (ACCOUNT_EVENT[event.slice(5)] || event.slice(5))
  return event
}
