import { describe, expect, it } from 'vitest';
import { checklist, completeness, derivedState, dossierItems } from '../../server/domain/dossier/checklist.js';
import { confirmationWindow } from '../../server/domain/dossier/confirmation.js';
import {
  agreementLayout,
  chineseDate,
  type DocumentCase,
  documentNumber,
  layoutText,
  recordLayout,
} from '../../server/domain/dossier/documents.js';

const base: DocumentCase = {
  caseNo: 'LX-2023-000525',
  category: '邻里纠纷',
  summary: '两户因宅基地界址发生争执。',
  reportedOn: '2023-04-02',
  resolvedOn: '2023-04-20',
  villageName: '彭家厂村',
  townName: '王家厂镇',
  stationName: '王家厂镇警司联调室',
  parties: [
    { role: 'applicant', name: '王某', phone: '138****5678', idNumber: '430723********1234' },
    { role: 'respondent', name: '欧阳某', phone: null, idNumber: null },
  ],
  mediators: ['李某'],
  agreement: { agreedOn: '2023-04-20', kind: 'written', note: '界址以原石桩为准。', followUpOn: '2023-05-20' },
};

describe('document numbers and dates', () => {
  it('numbers a case （year）澧人调字第N号 from its case number, without leading zeros', () => {
    expect(documentNumber('LX-2023-000525')).toBe('（2023）澧人调字第525号');
    expect(documentNumber('LX-2021-010000')).toBe('（2021）澧人调字第10000号');
    expect(documentNumber('something else')).toBeNull();
  });
  it('writes dates as Chinese users do', () => {
    expect(chineseDate('2023-05-07')).toBe('2023年5月7日');
    expect(chineseDate(null)).toBe('');
  });
});

describe("the people's mediation agreement layout", () => {
  const text = layoutText(agreementLayout(base));
  it("follows the ministry's order: title, number, parties, facts, terms, performance, copies, signatures, seal, date", () => {
    const at = (s: string) => text.findIndex((t) => t.includes(s));
    const order = [
      '人民调解协议书',
      '编号：（2023）澧人调字第525号',
      '申请人：王某',
      '被申请人：欧阳某',
      '纠纷主要事实、争议事项',
      '经调解，自愿达成如下协议',
      '履行方式、时限',
      '本协议一式',
      '人民调解员（签名）',
      '王家厂镇人民调解委员会（印）',
      '2023年4月20日',
    ].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
  it('carries the masked parties as given and leaves every signature blank', () => {
    expect(text).toContain('申请人：王某　身份证号码：430723********1234　联系方式：138****5678');
    const signatures = text.filter((t) => t.includes('（签名'));
    expect(signatures.length).toBe(4);
    expect(signatures.every((t) => /：＿+$/.test(t))).toBe(true);
  });
  it('leaves blanks to fill in by hand where the case has no agreement yet', () => {
    const t = layoutText(agreementLayout({ ...base, agreement: null, parties: [] }));
    expect(t).toContain('当事人：＿＿＿＿＿＿＿＿');
    expect(t.at(-1)).toBe('');
  });
});

describe('the mediation record layout', () => {
  it('names the time, place, parties, mediators and the result', () => {
    const t = layoutText(recordLayout(base));
    expect(t[0]).toBe('人民调解记录');
    expect(t).toContain('时间：2023年4月20日');
    expect(t).toContain('地点：王家厂镇警司联调室');
    expect(t).toContain('人民调解员：李某');
    expect(t.some((x) => x.startsWith('经调解，双方于2023年4月20日达成书面协议。'))).toBe(true);
  });
});

describe('the dossier checklist', () => {
  const resolved = { status: 'resolved' as const, agreementKind: 'written' as const, visits: 1, confirmation: false };
  it("lists the nine items in the ministry's order", () => {
    expect(checklist(resolved, new Map()).map((e) => e.item)).toEqual([...dossierItems]);
    expect(dossierItems[0]).toBe('application');
    expect(dossierItems.at(-1)).toBe('judicial_confirmation');
  });
  it('works items out from the data, and a mark wins', () => {
    expect(derivedState('agreement', resolved)).toBe('present');
    expect(derivedState('agreement', { ...resolved, agreementKind: 'oral' })).toBe('not_applicable');
    expect(derivedState('agreement', { ...resolved, agreementKind: null })).toBe('missing');
    expect(derivedState('follow_up_record', { ...resolved, visits: 0 })).toBe('missing');
    expect(derivedState('follow_up_record', { ...resolved, status: 'mediating' })).toBe('not_applicable');
    expect(derivedState('judicial_confirmation', { ...resolved, confirmation: true })).toBe('present');
    const marked = checklist(resolved, new Map([['agreement', 'missing']]));
    expect(marked.find((e) => e.item === 'agreement')).toEqual({
      item: 'agreement',
      state: 'missing',
      source: 'marked',
    });
  });
  it('counts completeness over the items that apply', () => {
    expect(
      completeness([{ state: 'present' }, { state: 'missing' }, { state: 'not_applicable' }, { state: 'present' }]),
    ).toEqual({ present: 2, missing: 1, rate: 0.667 });
    expect(completeness([{ state: 'not_applicable' }]).rate).toBeNull();
  });
});

describe('the judicial confirmation window', () => {
  it('runs 30 days from the agreement, flags the last week and a lapse', () => {
    expect(confirmationWindow('2023-05-01', '2023-04-20', null)).toMatchObject({
      state: 'open',
      deadline: '2023-05-20',
      daysLeft: 19,
      flagged: false,
    });
    expect(confirmationWindow('2023-05-15', '2023-04-20', null)).toMatchObject({
      state: 'closing',
      daysLeft: 5,
      flagged: true,
    });
    expect(confirmationWindow('2023-05-21', '2023-04-20', null)).toMatchObject({
      state: 'lapsed',
      daysLeft: -1,
      flagged: true,
    });
    expect(confirmationWindow('2023-05-21', '2023-04-20', '2023-05-20').state).toBe('applied_in_time');
    expect(confirmationWindow('2023-05-21', '2023-04-20', '2023-05-21')).toMatchObject({
      state: 'applied_late',
      flagged: true,
    });
    expect(confirmationWindow('2023-05-21', null, null).state).toBe('no_agreement');
  });
});
