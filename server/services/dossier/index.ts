import type { CaseDossier, JudicialConfirmation } from '../../contract/people.js';
import {
  clearDossierItem,
  confirmationOf,
  documentCase,
  dossierFacts,
  lockForDossier,
  resolvedFacts,
  unitNames,
  upsertConfirmation,
  upsertDossierItem,
} from '../../db/queries/dossier.js';
import { mediatorsOfCase } from '../../db/queries/mediators.js';
import type { Db, Queryable } from '../../db/types.js';
import {
  type CaseFacts,
  checklist,
  completeness,
  type DossierItem,
  type DossierState,
  dossierItemNames,
} from '../../domain/dossier/checklist.js';
import { type ConfirmationResult, confirmationWindow } from '../../domain/dossier/confirmation.js';
import {
  categoryNamesZh,
  type DocumentKind,
  type DocumentParty,
  documentLayout,
  documentNumber,
} from '../../domain/dossier/documents.js';
import { decryptField, type Keyring, maskName } from '../../domain/personal-data.js';
import type { DisputeCategory } from '../../domain/vocabulary.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { maskedParties, revealParty } from '../personal-data/index.js';
import { toDocx, toPdf } from './render.js';

/**
 * The case dossier (卷宗): the ministry's checklist with completeness, judicial confirmation and its 30-day
 * window, and the documents generated from the case (DOCX and PDF, parties masked unless one is revealed).
 */

interface FactsRow {
  id: string | number;
  status: CaseFacts['status'];
  townCode: string;
  stationId: number | null;
  agreementKind: CaseFacts['agreementKind'];
  writtenAgreedOn: string | null;
  visits: number;
  confirmation: boolean;
  marked: Record<string, DossierState>;
  today?: string;
}

const entriesOf = (r: FactsRow) =>
  checklist(r, new Map(Object.entries(r.marked ?? {}) as [DossierItem, DossierState][]));

export async function caseDossier(db: Queryable, id: number): Promise<CaseDossier> {
  const q = dossierFacts(id);
  const row = (await db.query<FactsRow>(q.text, q.values)).rows[0];
  if (!row) throw new NotFound(`dispute ${id}`);
  const entries = entriesOf(row).map((e) => ({ ...e, name: dossierItemNames[e.item] }));
  const c = confirmationOf(id);
  const confirmation = (await db.query<JudicialConfirmation>(c.text, c.values)).rows[0] ?? null;
  return {
    items: entries,
    completeness: completeness(entries),
    confirmation,
    confirmationWindow: confirmationWindow(row.today as string, row.writtenAgreedOn, confirmation?.appliedOn ?? null),
  };
}

/** Marks one item present / missing / not applicable; null gives it back to what the data says. */
export async function markDossierItem(
  db: Db,
  actor: string,
  id: number,
  item: DossierItem,
  state: DossierState | null,
) {
  await db.transaction(async (tx) => {
    const l = lockForDossier(id);
    if (!(await tx.query(l.text, l.values)).rows[0]) throw new NotFound(`dispute ${id}`);
    const q = state === null ? clearDossierItem(id, item) : upsertDossierItem(id, item, state, actor);
    await tx.query(q.text, q.values);
  });
}

export interface ConfirmationInput {
  appliedOn: string;
  court: string;
  result: ConfirmationResult;
  decidedOn?: string | undefined;
  /** The version of the stored record when changing one (absent for the first). */
  version?: number | undefined;
}

export async function setConfirmation(db: Db, actor: string, id: number, input: ConfirmationInput) {
  await db.transaction(async (tx) => {
    const l = lockForDossier(id);
    const row = (
      await tx.query<{ status: string; today: string; confirmationVersion: number | null }>(l.text, l.values)
    ).rows[0];
    if (!row) throw new NotFound(`dispute ${id}`);
    if (row.status !== 'resolved') {
      throw new Conflict(
        `judicial confirmation is of a resolved case's agreement; this one is ${row.status}`,
        'status',
      );
    }
    if (row.confirmationVersion !== null && input.version !== row.confirmationVersion) {
      throw new Conflict(
        `the confirmation was changed by someone else (now version ${row.confirmationVersion}); reload it`,
        'version',
      );
    }
    if (input.appliedOn > row.today) throw new InvalidInput('appliedOn', 'an application is recorded once it is made');
    if (!input.court.trim()) throw new InvalidInput('court', 'name the court');
    if (input.result === 'pending' && input.decidedOn) {
      throw new InvalidInput('decidedOn', 'a pending application has no decision date');
    }
    if (input.result !== 'pending' && !input.decidedOn) throw new InvalidInput('decidedOn', 'give the decision date');
    if (input.decidedOn && input.decidedOn < input.appliedOn) {
      throw new InvalidInput('decidedOn', 'the court decides after the application');
    }
    if (input.decidedOn && input.decidedOn > row.today) throw new InvalidInput('decidedOn', 'not in the future');
    const q = upsertConfirmation(
      id,
      {
        appliedOn: input.appliedOn,
        court: input.court.trim(),
        result: input.result,
        decidedOn: input.decidedOn ?? null,
      },
      actor,
    );
    await tx.query(q.text, q.values);
  });
}

/** Completeness (present ÷ (present + missing)) of resolved cases' dossiers per town or handling station. */
export async function completenessBy(
  db: Queryable,
  by: 'town' | 'station',
  town: string | undefined,
  from: string | undefined,
  to: string | undefined,
) {
  const q = resolvedFacts(town, from, to);
  const rows = (await db.query<FactsRow>(q.text, q.values)).rows;
  const n = unitNames();
  const names = new Map(
    (await db.query<{ level: string; key: string; name: string }>(n.text, n.values)).rows.map((r) => [
      `${r.level}:${r.key}`,
      r.name,
    ]),
  );
  const units = new Map<
    string,
    { key: string; townCode: string; cases: number; complete: number; present: number; missing: number }
  >();
  const missingByItem: Record<string, number> = {};
  for (const r of rows) {
    const key = by === 'town' ? r.townCode : String(r.stationId ?? '');
    const u = units.get(key) ?? { key, townCode: r.townCode, cases: 0, complete: 0, present: 0, missing: 0 };
    const entries = entriesOf(r);
    const c = completeness(entries);
    u.cases++;
    u.present += c.present;
    u.missing += c.missing;
    if (c.missing === 0) u.complete++;
    for (const e of entries) if (e.state === 'missing') missingByItem[e.item] = (missingByItem[e.item] ?? 0) + 1;
    units.set(key, u);
  }
  const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);
  return {
    by,
    definitions: {
      rate: 'items present ÷ (present + missing), items not applicable left out',
      completeShare: 'cases with no item missing ÷ cases',
    },
    missingByItem,
    units: [...units.values()]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((u) => ({
        ...u,
        name: names.get(`${by}:${u.key}`) ?? null,
        rate: rate(u.present, u.present + u.missing),
        completeShare: rate(u.complete, u.cases),
      })),
  };
}

export interface DocumentRequest {
  kind: DocumentKind;
  format: 'docx' | 'pdf';
  /** One party shown in clear (the route has checked the role and audits it). */
  revealPartyId?: number | undefined;
}

export async function caseDocument(db: Queryable, ring: Keyring, id: number, req: DocumentRequest) {
  const q = documentCase(id);
  const row = (
    await db.query<{
      caseNo: string;
      category: DisputeCategory;
      summary: string;
      reportedOn: string;
      resolvedOn: string | null;
      villageName: string | null;
      townName: string;
      stationName: string | null;
      agreement: { agreedOn: string; kind: string; note: string; followUpOn: string | null } | null;
    }>(q.text, q.values)
  ).rows[0];
  if (!row) throw new NotFound(`dispute ${id}`);
  const parties: DocumentParty[] = await maskedParties(db, ring, id);
  if (req.revealPartyId !== undefined) {
    const clear = await revealParty(db, ring, id, req.revealPartyId);
    if (!clear) throw new InvalidInput('revealParty', `no party ${req.revealPartyId} of case ${id}`);
    const i = parties.findIndex((p) => (p as { id?: number }).id === clear.id);
    if (i >= 0) parties[i] = clear;
  }
  const m = mediatorsOfCase(id);
  const mediators = (await db.query<{ name_enc: string }>(m.text, m.values)).rows.map((r) =>
    maskName(decryptField(ring, 'mediator_name', r.name_enc)),
  );
  const layout = documentLayout(req.kind, {
    caseNo: row.caseNo,
    category: categoryNamesZh[row.category] ?? row.category,
    summary: row.summary,
    reportedOn: row.reportedOn,
    resolvedOn: row.resolvedOn,
    villageName: row.villageName ?? '',
    townName: row.townName,
    stationName: row.stationName,
    parties,
    mediators,
    agreement: row.agreement,
  });
  const body = req.format === 'docx' ? await toDocx(layout) : await toPdf(layout);
  return {
    body,
    fileName: `${layout.fileStem}.${req.format}`,
    number: documentNumber(row.caseNo),
    contentType:
      req.format === 'docx'
        ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
        : 'application/pdf',
  };
}
