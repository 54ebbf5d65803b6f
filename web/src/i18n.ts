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
      cardsView: {"title": "卡片查询与发放", "query": "卡号或证件号码", "queryHint": "12位卡号或18位身份证号", "search": "查询", "holder": "持卡人", "name": "姓名", "idNumber": "证件号码", "phone": "联系电话", "insured": "参保状态", "insuredYes": "正常", "insuredNo": "已终止", "unmask": "显示完整信息", "unmasked": "已显示完整信息，本次查看已记入审计日志", "cardNo": "卡号", "status": "状态", "issuedOn": "发卡日期", "replaces": "替换的卡", "cardStatus": "卡状态", "pin": "密码", "pinLocked": "已锁定", "pinOk": "正常", "bank": "合作银行", "ecard": "电子社保卡", "validity": "有效期", "to": "至", "mode": "制卡方式", "delivery": "领取方式", "mail": "邮寄", "pickup": "网点领取", "case": "办件", "produce": "即时制卡", "arrive": "入库（本机构）", "trackingNo": "邮件号", "mailIt": "登记邮寄", "deliver": "登记签收", "issue": "读卡检测并发放", "at": "时间", "event": "环节", "org": "机构", "note": "说明", "readTest": "读卡检测", "readHelp": "请核对证件，读卡检查卡面照片、文字与芯片信息，持卡人签收后发放。不合格的卡不得发放，将退回重新制卡。", "readFail": "不合格，退回重制", "readPass": "合格，发放", "noCards": "该人员没有社会保障卡记录", "done": {"produce": "已即时制卡", "arrive": "已入库，持卡人将收到领卡通知", "mail": "已登记邮寄", "deliver": "已登记签收，卡片已发放", "pass": "读卡检测合格，卡片已发放", "fail": "读卡检测不合格，已退回重新制卡"}, "problems": ["照片缺失或错误", "文字信息缺失或错误", "芯片不能读取", "卡面与芯片信息不一致"]},
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
      cardsView: {"title": "Cards", "query": "Card or ID number", "queryHint": "12-digit card number or 18-digit ID number", "search": "Search", "holder": "Holder", "name": "Name", "idNumber": "ID number", "phone": "Phone", "insured": "Insured", "insuredYes": "yes", "insuredNo": "ended", "unmask": "Show in full", "unmasked": "Shown in full; this look is in the audit trail", "cardNo": "Card", "status": "Status", "issuedOn": "Issued on", "replaces": "Replaces", "cardStatus": "Card status", "pin": "PIN", "pinLocked": "locked", "pinOk": "ok", "bank": "Bank", "ecard": "E-card", "validity": "Valid", "to": "to", "mode": "Production", "delivery": "Delivery", "mail": "mail", "pickup": "pickup", "case": "Case", "produce": "Make now", "arrive": "Into our stock", "trackingNo": "Tracking number", "mailIt": "Record mailing", "deliver": "Record delivery", "issue": "Read test and hand over", "at": "Time", "event": "Step", "org": "Org", "note": "Note", "readTest": "Read test", "readHelp": "Check the document; read the card and compare face photo, text and chip; the holder signs. A card that fails is never handed over: it goes back to be made again.", "readFail": "Failed: make again", "readPass": "Passed: hand over", "noCards": "This person has no card", "done": {"produce": "Card made", "arrive": "In stock; the holder will be told to collect it", "mail": "Mailing recorded", "deliver": "Delivery recorded; the card is issued", "pass": "Read test passed; the card is issued", "fail": "Read test failed; the card goes back to be made again"}, "problems": ["Photo missing or wrong", "Text missing or wrong", "Chip unreadable", "Face and chip disagree"]},
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
