import { batchHighRisks, caseEventNotice } from '../../db/queries/notifications.js';
import type { Queryable } from '../../db/types.js';
import { publish } from './publish.js';

/**
 * The writes that notify (信息互通), each one call inside the write's own transaction: a case event (created,
 * changed, handed over) and an upload batch with red or orange risk items.
 */

/** A red case concerns the county as well (the county-level event); other levels stay in the town. */
const caseLevel = (risk: string) => (risk === 'red' ? 'county' : 'town');

export async function publishCaseEvent(tx: Queryable, caseEventId: number): Promise<void> {
  const q = caseEventNotice(caseEventId);
  const e = (
    await tx.query<{
      kind: string;
      to_station_id: number | null;
      to_status: string | null;
      dispute_id: number;
      case_no: string;
      category: string;
      risk_level: string;
      status: string;
      town_code: string;
      village_code: string | null;
      station_id: number | null;
      actor_id: number | null;
    }>(q.text, q.values)
  ).rows[0];
  if (!e) return;
  const kind = e.kind === 'created' ? 'case.created' : e.kind === 'handoff' ? 'case.handoff' : 'case.changed';
  await publish(tx, {
    kind,
    level: caseLevel(e.risk_level),
    townCode: e.town_code,
    villageCode: e.village_code,
    // After a handoff the station taking over is the handling one.
    stationId: e.to_station_id ?? e.station_id,
    disputeId: Number(e.dispute_id),
    title: kind === 'case.changed' ? `case.changed.${e.kind}` : kind,
    params: { caseNo: e.case_no, category: e.category, riskLevel: e.risk_level, status: e.status },
    actorId: e.actor_id === null ? null : Number(e.actor_id),
    dedupeKey: `case-event:${caseEventId}`,
  });
}

/** Villages told of per batch at most (a county-wide file is one upload, not hundreds of bells). */
const MAX_VILLAGES_PER_BATCH = 50;

export async function publishScreeningRisks(tx: Queryable, batchId: number): Promise<void> {
  const q = batchHighRisks(batchId, MAX_VILLAGES_PER_BATCH);
  const rows = (
    await tx.query<{ town_code: string; village_code: string; red: number; orange: number; actor_id: number | null }>(
      q.text,
      q.values,
    )
  ).rows;
  for (const r of rows) {
    await publish(tx, {
      kind: 'screening.high_risk',
      level: 'town',
      townCode: r.town_code,
      villageCode: r.village_code,
      title: 'screening.high_risk',
      params: { red: r.red, orange: r.orange, batchId },
      actorId: r.actor_id === null ? null : Number(r.actor_id),
      dedupeKey: `screening.high_risk:${batchId}:${r.village_code}`,
    });
  }
}
