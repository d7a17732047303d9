import type { Queryable } from '../db/index.js';
import { insertAudit, recentAudit } from '../db/queries/accounts.js';
import type { Principal } from './roles.js';

export interface AuditEntry {
  action: string;
  targetType?: string | null;
  targetId?: string | number | null;
  outcome?: 'ok' | 'denied' | 'failed';
  ip?: string | null;
  /** Identifiers and counts only: never names, phone numbers or ID numbers. */
  detail?: Record<string, unknown>;
}

export type AuditActor =
  | Principal
  | { kind: 'anonymous'; name?: string | null; id?: number | null }
  | { kind: 'system'; name: string };

/** Appends to the audit trail (the table refuses UPDATE and DELETE). */
export async function audit(db: Queryable, actor: AuditActor, e: AuditEntry): Promise<void> {
  const isPrincipal = actor.kind === 'account' || actor.kind === 'token';
  const q = insertAudit({
    actorKind: actor.kind,
    actorId: 'id' in actor ? (actor.id ?? null) : null,
    actorName: actor.name ?? null,
    role: isPrincipal ? (actor as Principal).role : null,
    action: e.action,
    targetType: e.targetType ?? null,
    targetId: e.targetId === undefined || e.targetId === null ? null : String(e.targetId),
    outcome: e.outcome ?? 'ok',
    ip: e.ip ?? null,
    detail: e.detail ?? {},
  });
  await db.query(q.text, q.values);
}

/**
 * `audit`, unless the same actor's same action is already on record within the last `minutes`: for reads that
 * page and filter through a list (reading the audit trail itself), where one entry per sitting says who looked and
 * when, and one per page would bury everything else.
 */
export async function auditAtMostEvery(
  db: Queryable,
  actor: AuditActor,
  e: AuditEntry,
  minutes: number,
): Promise<void> {
  const id = 'id' in actor ? (actor.id ?? null) : null;
  const q = recentAudit(actor.kind, id, e.action, minutes);
  const { rows } = await db.query(q.text, q.values);
  if (rows.length === 0) await audit(db, actor, e);
}
