import type { DisputeCategory } from '../vocabulary.js';

/**
 * Layout data of the people's mediation documents generated from a case, after the Ministry of Justice's formats
 * (人民调解文书格式): the people's mediation agreement (人民调解协议书) and the mediation record (人民调解记录).
 * Pure: one layout, read by both the DOCX and the PDF renderer, so the two never differ in content. Parties come
 * in already masked (or revealed under the audit rules by the caller); signatures are left blank for ink.
 */

export type DocumentKind = 'agreement' | 'record';
export const documentKinds: readonly DocumentKind[] = ['agreement', 'record'];

export type Block =
  | { kind: 'title'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'field'; label: string; value: string }
  | { kind: 'section'; label: string; text: string }
  | { kind: 'paragraph'; text: string }
  /** Signature lines: a label and a blank to sign on. */
  | { kind: 'signatures'; lines: string[] }
  /** Date line, right-aligned, blank to fill in by hand when `text` is empty. */
  | { kind: 'date'; text: string };

export interface DocumentLayout {
  kind: DocumentKind;
  fileStem: string;
  blocks: Block[];
}

export interface DocumentParty {
  role: 'applicant' | 'respondent' | 'other';
  name: string;
  phone: string | null;
  idNumber: string | null;
}

export interface DocumentCase {
  caseNo: string;
  category: string;
  /** The case's summary: the facts and what is in dispute. */
  summary: string;
  reportedOn: string;
  resolvedOn: string | null;
  villageName: string;
  townName: string;
  stationName: string | null;
  parties: readonly DocumentParty[];
  mediators: readonly string[];
  agreement: { agreedOn: string; kind: string; note: string; followUpOn: string | null } | null;
}

/** Category names as the documents write them (the documents are Chinese whatever the UI language). */
export const categoryNamesZh: Record<DisputeCategory, string> = {
  neighbour: '邻里纠纷',
  marriage_family: '婚姻家庭纠纷',
  land_forest: '山林土地纠纷',
  medical: '医疗纠纷',
  labour_wages: '劳资纠纷',
  contract_debt: '合同债务纠纷',
  traffic_accident: '交通事故纠纷',
  property_management: '物业纠纷',
  other: '其他纠纷',
};

/** The county's short name in document numbers: 澧 for 澧县. */
export const COUNTY_SHORT = '澧';

/** LX-2023-000525 → （2023）澧人调字第525号; null for a case number of another form. */
export function documentNumber(caseNo: string, countyShort = COUNTY_SHORT): string | null {
  const m = /^[A-Z]+-(\d{4})-0*(\d+)$/.exec(caseNo);
  if (!m) return null;
  return `（${m[1]}）${countyShort}人调字第${m[2]}号`;
}

/** 2023-05-17 → 2023年5月17日. */
export function chineseDate(day: string | null): string {
  if (!day) return '';
  const [y, m, d] = day.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

const ROLE: Record<DocumentParty['role'], string> = { applicant: '申请人', respondent: '被申请人', other: '当事人' };
const BLANK = '＿＿＿＿＿＿＿＿';

function partyLine(p: DocumentParty): string {
  const parts = [`${ROLE[p.role]}：${p.name}`];
  if (p.idNumber) parts.push(`身份证号码：${p.idNumber}`);
  if (p.phone) parts.push(`联系方式：${p.phone}`);
  return parts.join('　');
}

function partiesBlocks(c: DocumentCase): Block[] {
  if (c.parties.length === 0) return [{ kind: 'field', label: '当事人', value: BLANK }];
  return c.parties.map((p) => ({ kind: 'paragraph', text: partyLine(p) }));
}

const committee = (c: DocumentCase) => `${c.townName}人民调解委员会`;

export function agreementLayout(c: DocumentCase): DocumentLayout {
  const no = documentNumber(c.caseNo) ?? c.caseNo;
  const signers =
    c.parties.length > 0
      ? c.parties.map((p) => `${ROLE[p.role]}（签名、盖章或按指印）：${BLANK}`)
      : [`当事人（签名、盖章或按指印）：${BLANK}`];
  return {
    kind: 'agreement',
    fileStem: `agreement-${c.caseNo}`,
    blocks: [
      { kind: 'title', text: '人民调解协议书' },
      { kind: 'number', text: `编号：${no}` },
      ...partiesBlocks(c),
      { kind: 'section', label: '纠纷主要事实、争议事项', text: c.summary || BLANK },
      {
        kind: 'section',
        label: '经调解，自愿达成如下协议',
        text: c.agreement?.note || BLANK,
      },
      {
        kind: 'section',
        label: '履行方式、时限',
        text: c.agreement?.followUpOn ? `于${chineseDate(c.agreement.followUpOn)}前履行完毕。` : BLANK,
      },
      {
        kind: 'paragraph',
        text: `本协议一式${Math.max(c.parties.length, 2) + 1}份，当事人、人民调解委员会各持一份，自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。`,
      },
      { kind: 'signatures', lines: [...signers, `人民调解员（签名）：${BLANK}`, `记录人（签名）：${BLANK}`] },
      { kind: 'paragraph', text: `${committee(c)}（印）` },
      { kind: 'date', text: chineseDate(c.agreement?.agreedOn ?? null) },
    ],
  };
}

export function recordLayout(c: DocumentCase): DocumentLayout {
  const no = documentNumber(c.caseNo) ?? c.caseNo;
  return {
    kind: 'record',
    fileStem: `record-${c.caseNo}`,
    blocks: [
      { kind: 'title', text: '人民调解记录' },
      { kind: 'number', text: `编号：${no}` },
      { kind: 'field', label: '时间', value: chineseDate(c.resolvedOn ?? c.reportedOn) },
      { kind: 'field', label: '地点', value: c.stationName ?? `${c.townName}${c.villageName}` },
      { kind: 'field', label: '纠纷类型', value: c.category },
      ...partiesBlocks(c),
      { kind: 'field', label: '人民调解员', value: c.mediators.length > 0 ? c.mediators.join('、') : BLANK },
      { kind: 'field', label: '记录人', value: BLANK },
      { kind: 'section', label: '调解情况（纠纷事实、调解过程）', text: c.summary || BLANK },
      {
        kind: 'section',
        label: '调解结果',
        text: c.agreement
          ? `经调解，双方于${chineseDate(c.agreement.agreedOn)}达成${c.agreement.kind === 'oral' ? '口头' : '书面'}协议。${c.agreement.note}`
          : BLANK,
      },
      {
        kind: 'signatures',
        lines: [`当事人（签名）：${BLANK}`, `人民调解员（签名）：${BLANK}`, `记录人（签名）：${BLANK}`],
      },
      { kind: 'paragraph', text: `${committee(c)}` },
      { kind: 'date', text: '' },
    ],
  };
}

export function documentLayout(kind: DocumentKind, c: DocumentCase): DocumentLayout {
  return kind === 'agreement' ? agreementLayout(c) : recordLayout(c);
}

/** Every text of a layout in order: what a reader of the file sees (tests, and a plain-text fallback). */
export function layoutText(l: DocumentLayout): string[] {
  return l.blocks.flatMap((b) => {
    switch (b.kind) {
      case 'field':
        return [`${b.label}：${b.value}`];
      case 'section':
        return [`${b.label}：`, b.text];
      case 'signatures':
        return b.lines;
      default:
        return [b.text];
    }
  });
}
