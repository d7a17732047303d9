import type { DisputeStatus } from '../vocabulary.js';

/**
 * The case dossier (卷宗) checklist in the Ministry of Justice's order for people's mediation files. Each item is
 * present, missing or not applicable: what a person marked wins; an item nobody marked is worked out from what
 * the case's data already shows (an agreement recorded, a follow-up visit made, a judicial confirmation applied
 * for). Pure.
 */

import { type DossierItem, type DossierState, dossierItems } from '../../contract/vocabulary.js';

// The vocabulary lives in the API contract, shared with the web app.
export { type DossierItem, type DossierState, dossierItems, dossierStates } from '../../contract/vocabulary.js';

/** Chinese names as the ministry's file cover lists them (the documents are Chinese whatever the UI language). */
export const dossierItemNames: Record<DossierItem, string> = {
  application: '人民调解申请书（口头申请登记表）',
  rights_notice: '人民调解当事人权利义务告知书',
  identity_documents: '当事人身份证明材料',
  investigation: '调查记录',
  mediation_record: '人民调解记录',
  agreement: '人民调解协议书',
  performance_proof: '履行情况凭证',
  follow_up_record: '回访记录',
  judicial_confirmation: '司法确认材料',
};

export interface CaseFacts {
  status: DisputeStatus;
  /** The latest agreement's kind, if any. */
  agreementKind: 'oral' | 'written' | 'judicially_confirmed' | null;
  visits: number;
  /** A judicial confirmation was applied for. */
  confirmation: boolean;
}

export interface ChecklistEntry {
  item: DossierItem;
  state: DossierState;
  /** 'marked' by a person, or 'derived' from the case's data. */
  source: 'marked' | 'derived';
}

/** What the data says of an item nobody marked. */
export function derivedState(item: DossierItem, c: CaseFacts): DossierState {
  const closed = c.status === 'resolved' || c.status === 'failed' || c.status === 'referred';
  const resolved = c.status === 'resolved';
  switch (item) {
    // The register's own entry is the registration form (口头申请登记).
    case 'application':
      return 'present';
    case 'rights_notice':
    case 'identity_documents':
      return 'missing';
    case 'investigation':
    case 'mediation_record':
      return closed || c.status === 'mediating' ? 'missing' : 'not_applicable';
    case 'agreement':
      if (!resolved) return 'not_applicable';
      // An oral agreement is written into the mediation record (People's Mediation Law art. 30), not a form.
      if (c.agreementKind === 'oral') return 'not_applicable';
      return c.agreementKind ? 'present' : 'missing';
    case 'performance_proof':
      return resolved ? 'missing' : 'not_applicable';
    case 'follow_up_record':
      if (!resolved) return 'not_applicable';
      return c.visits > 0 ? 'present' : 'missing';
    case 'judicial_confirmation':
      return c.confirmation || c.agreementKind === 'judicially_confirmed' ? 'present' : 'not_applicable';
  }
}

/** The checklist in the ministry's order: marked states first, else derived. */
export function checklist(c: CaseFacts, marked: ReadonlyMap<DossierItem, DossierState>): ChecklistEntry[] {
  return dossierItems.map((item) => {
    const m = marked.get(item);
    return m ? { item, state: m, source: 'marked' } : { item, state: derivedState(item, c), source: 'derived' };
  });
}

/** Completeness = present ÷ (present + missing); items not applicable do not count. Null when nothing counts. */
export function completeness(entries: readonly { state: DossierState }[]) {
  const present = entries.filter((e) => e.state === 'present').length;
  const missing = entries.filter((e) => e.state === 'missing').length;
  return {
    present,
    missing,
    rate: present + missing > 0 ? Math.round((present / (present + missing)) * 1000) / 1000 : null,
  };
}
