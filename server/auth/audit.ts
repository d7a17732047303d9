import type { Queryable } from '../db/index.js';
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
  await db.query(
    `INSERT INTO audit_log (actor_kind, actor_id, actor_name, role, action, target_type, target_id, outcome, ip, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      actor.kind,
      'id' in actor ? (actor.id ?? null) : null,
      actor.name ?? null,
      isPrincipal ? (actor as Principal).role : null,
      e.action,
      e.targetType ?? null,
      e.targetId === undefined || e.targetId === null ? null : String(e.targetId),
      e.outcome ?? 'ok',
      e.ip ?? null,
      JSON.stringify(e.detail ?? {}),
    ],
  );
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
  const { rows } = await db.query(
    `SELECT 1 FROM audit_log
     WHERE actor_kind = $1 AND actor_id IS NOT DISTINCT FROM $2 AND action = $3
       AND at > now() - make_interval(mins => $4::int)
     LIMIT 1`,
    [actor.kind, id, e.action, minutes],
  );
  if (rows.length === 0) await audit(db, actor, e);
}
