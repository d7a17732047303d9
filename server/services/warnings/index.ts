import { audit } from '../../auth/audit.js';
import type { Principal } from '../../auth/roles.js';
import type { WarningDetail, WarningItem, WarningList, WarningRule } from '../../contract/warnings.js';
import type { Db, Queryable } from '../../db/index.js';
import {
  lockRule,
  lockWarning,
  setWarningStatus,
  updateRule,
  type WarningFilter,
  type WarningScope,
  warningCounts,
  warningFeatures,
  warningPage,
} from '../../db/queries/warnings.js';
import type { Keyring } from '../../domain/personal-data.js';
import { checkThresholds, definitionText, isRuleCode, type RuleCode, rules } from '../../domain/warnings/rules.js';
import { allowedWarningMoves, mayMoveWarning, type WarningStatus } from '../../domain/warnings/status.js';
import { IllegalTransition, InvalidInput, NotFound, VersionConflict } from '../errors.js';
import { maskedMediators } from '../mediators/index.js';
import { emergingFacts, evaluate, ruleSettings } from './evaluate.js';

export { evaluate, evaluateAfterCaseWrite } from './evaluate.js';

/** The caller's reach: their towns (null = county) and, for station staff, their station's warnings too. */
export const scopeOf = (p: Principal): WarningScope => ({ towns: p.towns, stationId: p.stationId });

/**
 * A register warning about a person names them, masked as the register lists them (the evidence keeps only the
 * mediator's id: names are personal data, decrypted here and never stored in a warning).
 */
async function withMediatorNames(q: Queryable, ring: Keyring, items: WarningItem[]): Promise<WarningItem[]> {
  const idOf = (item: WarningItem) =>
    item.rule === 'mediator_register' ? Number((item.evidence as { mediatorId?: unknown }).mediatorId) : Number.NaN;
  const ids = [...new Set(items.map(idOf).filter(Number.isInteger))];
  if (ids.length === 0) return items;
  const names = await maskedMediators(q, ring, ids);
  return items.map((item) => {
    const id = idOf(item);
    return Number.isInteger(id) ? { ...item, mediatorName: names.get(id)?.name ?? null } : item;
  });
}

export async function listWarnings(
  q: Queryable,
  ring: Keyring,
  f: WarningFilter,
  scope: WarningScope,
  limit: number,
  offset: number,
): Promise<WarningList> {
  const page = warningPage(f, scope, limit, offset);
  const counts = warningCounts(f, scope);
  const rows = (await q.query<{ item: WarningItem }>(page.text, page.values)).rows.map((r) => r.item);
  const items = await withMediatorNames(q, ring, rows);
  const byRule: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  let total = 0;
  for (const r of (await q.query<{ rule: string; status: string; n: number }>(counts.text, counts.values)).rows) {
    byRule[r.rule] = (byRule[r.rule] ?? 0) + r.n;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    total += r.n;
  }
  return { total, limit, offset, byRule, byStatus, items };
}

export async function warningsGeoJson(q: Queryable, f: WarningFilter, scope: WarningScope, limit: number) {
  const s = warningFeatures(f, scope, limit);
  return (
    (await q.query<{ body: string }>(s.text, s.values)).rows[0]?.body ?? '{"type":"FeatureCollection","features":[]}'
  );
}

/** One warning; outside the caller's scope it does not exist (404). */
export async function getWarning(q: Queryable, ring: Keyring, id: number, scope: WarningScope): Promise<WarningDetail> {
  const page = warningPage({ id }, scope, 1, 0);
  const row = (await q.query<{ item: WarningItem }>(page.text, page.values)).rows[0]?.item;
  if (!row) throw new NotFound(`warning ${id}`);
  const [item] = (await withMediatorNames(q, ring, [row])) as [WarningItem];
  return { ...item, allowedMoves: [...allowedWarningMoves(item.status)] };
}

export interface ActInput {
  version: number;
  to: 'acknowledged' | 'dismissed';
  reason?: string | undefined;
  note?: string | undefined;
}

/** Acknowledge or dismiss (with a reason): versioned (stale → 409), audited, in one transaction. */
export async function actOnWarning(
  db: Db,
  ring: Keyring,
  who: Principal,
  id: number,
  input: ActInput,
): Promise<WarningDetail> {
  return db.transaction(async (tx) => {
    const l = lockWarning(id);
    const row = (
      await tx.query<{
        id: number;
        status: WarningStatus;
        version: number;
        town_code: string | null;
        station_id: number | null;
        case_station_id: number | null;
      }>(l.text, l.values)
    ).rows[0];
    if (!row || !inScope(who, row)) throw new NotFound(`warning ${id}`);
    if (row.version !== input.version) throw new VersionConflict(`warning ${id}`, row.version);
    if (!mayMoveWarning(row.status, input.to)) {
      throw new IllegalTransition(row.status, input.to, allowedWarningMoves(row.status), 'action');
    }
    const reason = input.to === 'dismissed' ? (input.reason ?? '').trim() : null;
    if (input.to === 'dismissed' && !reason) throw new InvalidInput('reason', 'give the reason for dismissing');
    // PostgreSQL text cannot hold NUL: refused here rather than failing the statement.
    if (reason?.includes('\u0000')) throw new InvalidInput('reason', 'must not contain NUL characters');
    const u = setWarningStatus(id, input.to, reason, who.name);
    await tx.query(u.text, u.values);
    await audit(tx, who, {
      action: input.to === 'dismissed' ? 'warning.dismiss' : 'warning.acknowledge',
      targetType: 'warning',
      targetId: id,
      detail: { from: row.status, to: input.to, version: row.version + 1 },
    });
    return getWarning(tx, ring, id, scopeOf(who));
  });
}

type LockedWarning = {
  id: number;
  status: WarningStatus;
  version: number;
  town_code: string | null;
  station_id: number | null;
  case_station_id: number | null;
  dispute_id: number | null;
  village_code: string | null;
  task_id: number | null;
  lon: number | null;
  lat: number | null;
};

/** Where a task about a warning lands: its case, else its village, else its point (a cell's centre, a room). */
export type WarningTaskSubject =
  | { taskId: number }
  | {
      taskId: null;
      status: WarningStatus;
      disputeId: number | null;
      villageCode: string | null;
      lon: number | null;
      lat: number | null;
    };

/**
 * The first half of turning a warning into a task, inside the task's transaction: the warning is locked (so two
 * concurrent calls make one task), must be in the caller's scope and still open or acknowledged. A warning already
 * turned into a task answers that task: a retried call never makes a second one.
 */
export async function lockWarningForTask(tx: Queryable, who: Principal, id: number): Promise<WarningTaskSubject> {
  const l = lockWarning(id);
  const row = (await tx.query<LockedWarning>(l.text, l.values)).rows[0];
  if (!row || !inScope(who, row)) throw new InvalidInput('warningId', `no warning ${id} in your scope`);
  if (row.task_id !== null) return { taskId: Number(row.task_id) };
  if (!mayMoveWarning(row.status, 'tasked')) {
    throw new IllegalTransition(row.status, 'tasked', allowedWarningMoves(row.status), 'warningId');
  }
  return {
    taskId: null,
    status: row.status,
    disputeId: row.dispute_id === null ? null : Number(row.dispute_id),
    villageCode: row.village_code,
    lon: row.lon === null ? null : Number(row.lon),
    lat: row.lat === null ? null : Number(row.lat),
  };
}

/** The second half: the warning is settled as tasked, pointing at its task, versioned and audited. */
export async function markWarningTasked(
  tx: Queryable,
  who: Principal,
  id: number,
  from: WarningStatus,
  taskId: number,
): Promise<void> {
  const u = setWarningStatus(id, 'tasked', null, who.name, taskId);
  await tx.query(u.text, u.values);
  await audit(tx, who, {
    action: 'warning.task',
    targetType: 'warning',
    targetId: id,
    detail: { from, to: 'tasked', taskId },
  });
}

function inScope(
  who: Principal,
  row: { town_code: string | null; station_id: number | null; case_station_id: number | null },
): boolean {
  if (who.towns === null) return true;
  if (row.town_code !== null && who.towns.includes(row.town_code)) return true;
  return (
    who.stationId !== null &&
    (Number(row.station_id) === who.stationId || Number(row.case_station_id) === who.stationId)
  );
}

/** The rules with their thresholds, limits and definitions (both languages, thresholds filled in). */
export async function listRules(q: Queryable): Promise<WarningRule[]> {
  return (await ruleSettings(q)).map((s) => ruleView(s.code, s));
}

function ruleView(code: RuleCode, s: Awaited<ReturnType<typeof ruleSettings>>[number]): WarningRule {
  const spec = rules[code];
  const limits = Object.fromEntries(
    Object.entries(spec.thresholds).map(([k, { oneOf, ...t }]) => [
      k,
      { ...t, ...(oneOf ? { oneOf: [...oneOf] } : {}) },
    ]),
  );
  return {
    code,
    enabled: s.enabled,
    version: s.version,
    updatedAt: s.updatedAt,
    updatedBy: s.updatedBy,
    thresholds: s.thresholds,
    limits,
    defaults: spec.defaults,
    timeBased: spec.timeBased,
    caseDriven: spec.caseDriven,
    name: spec.name,
    definition: { zh: definitionText(code, 'zh', s.thresholds), en: definitionText(code, 'en', s.thresholds) },
  };
}

export interface RuleUpdate {
  version: number;
  thresholds?: unknown;
  enabled?: boolean | undefined;
}

/** The county administrator's edit of a rule: validated threshold by threshold, versioned, audited. */
export async function updateRuleSettings(db: Db, who: Principal, code: string, input: RuleUpdate) {
  if (!isRuleCode(code)) throw new NotFound(`warning rule ${code}`);
  return db.transaction(async (tx) => {
    const l = lockRule(code);
    const row = (
      await tx.query<{ enabled: boolean; thresholds: Record<string, number>; version: number }>(l.text, l.values)
    ).rows[0];
    if (!row) throw new NotFound(`warning rule ${code}`);
    if (row.version !== input.version) throw new VersionConflict(`warning rule ${code}`, row.version);
    const checked = checkThresholds(code, row.thresholds, input.thresholds ?? {});
    if (!checked.ok) throw new InvalidInput(checked.field, checked.message);
    const enabled = input.enabled ?? row.enabled;
    const u = updateRule(code, checked.thresholds, enabled, who.name);
    await tx.query(u.text, u.values);
    await audit(tx, who, {
      action: 'warning.rule.update',
      targetType: 'warning_rule',
      targetId: code,
      detail: { before: row.thresholds, after: checked.thresholds, enabled },
    });
    const s = (await ruleSettings(tx)).find((r) => r.code === code);
    return ruleView(code, s as NonNullable<typeof s>);
  });
}

/** A full evaluation now (the scheduler's job; also the administrator's "evaluate now"). */
export async function evaluateAll(db: Db) {
  const emerging = (await ruleSettings(db)).find((r) => r.code === 'emerging_hotspot');
  const t0 = performance.now();
  const facts = emerging?.enabled ? await emergingFacts(db, emerging.thresholds) : null;
  const ms = Math.round(performance.now() - t0);
  const result = await db.transaction((tx) => evaluate(tx, { emerging: facts }));
  if (facts) result.ms.emerging_hotspot = (result.ms.emerging_hotspot ?? 0) + ms;
  return result;
}
