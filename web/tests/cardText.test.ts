import { describe, expect, it } from 'vitest'
import { accountText, ecardText, eventText, statusText } from '../src/cardText'

describe('card texts', () => {
  it('names every card state in Chinese and falls back to the code', () => {
    expect(statusText('in_stock')).toBe('已入库待领')
    expect(statusText('temporary_loss')).toBe('临时挂失')
    expect(statusText('something_new')).toBe('something_new')
  })
  it('speaks English as the codes themselves', () => {
    expect(statusText('in_stock', 'en')).toBe('in stock')
    expect(eventText('ecard.issued', 'en')).toBe('ecard issued')
    expect(accountText('formal_loss', 'en')).toBe('formal loss')
  })
  it('names bank events by their account event', () => {
    expect(eventText('bank.account_closed')).toBe('银行报告：账户销户')
    expect(eventText('bank.unheard_of')).toBe('银行报告：unheard_of')
    expect(eventText('read_test_failed')).toBe('读卡检测不合格')
    expect(ecardText('suspended')).toBe('暂停')
  })
})
