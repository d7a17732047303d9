/**
 * The register of mediators and staff (issue 18): vocabulary and the checks the county runs on it. Pure: the
 * service reads the rows, these rules say what is wrong. Each finding has the shape of a warning rule's hit
 * (rule, subject, due date, detail), so the early-warnings issue can take them over as rules of its own.
 */

// The vocabulary lives in the API contract, shared with the web app.
export { type MediatorKind, mediatorKinds } from '../../contract/vocabulary.js';

/** Stations a mediator may serve: a room, a judicial office (the town committee sits there) or a police station. */
export const servingStationKinds = ['joint_mediation_room', 'judicial_office', 'police_station'] as const;

import type { RegisterRule } from '../../contract/vocabulary.js';

export { type RegisterRule, registerRules } from '../../contract/vocabulary.js';

export interface RegisterFinding {
  rule: RegisterRule;
  /** 'mediator' or 'station' (a room). */
  subject: 'mediator' | 'station';
  subjectId: number;
  townCode: string;
  /** The day it runs out, for expiries (YYYY-MM-DD). */
  due: string | null;
  /** Days from today to `due` (negative: already past). */
  daysLeft: number | null;
  /** Training: hours this year and the county's yearly hours. */
  hours?: number;
  requiredHours?: number;
}

export interface MediatorFacts {
  id: number;
  townCode: string;
  active: boolean;
  appointedTo: string | null;
  qualificationExpiresOn: string | null;
  /** Training hours over the last 365 days (China time). */
  hoursThisYear: number;
}

export interface RoomFacts {
  id: number;
  townCode: string;
  activeJudicialAssistants: number;
}

const DAY = 86_400_000;
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);

/**
 * Active mediators whose appointment or qualification runs out within `withinDays` of `today` (or has run out:
 * an expired appointment is still listed until someone renews it or sets the mediator inactive), mediators below
 * the yearly training hours, and rooms without an active judicial assistant. Ordered by rule, then urgency.
 */
export function registerFindings(
  today: string,
  mediators: readonly MediatorFacts[],
  rooms: readonly RoomFacts[],
  opts: { withinDays: number; requiredHours: number },
): RegisterFinding[] {
  const out: RegisterFinding[] = [];
  const expiry = (m: MediatorFacts, rule: RegisterRule, due: string | null) => {
    if (!due) return;
    const left = daysBetween(today, due);
    if (left <= opts.withinDays) {
      out.push({ rule, subject: 'mediator', subjectId: m.id, townCode: m.townCode, due, daysLeft: left });
    }
  };
  for (const m of mediators) {
    if (!m.active) continue;
    expiry(m, 'appointment_expiring', m.appointedTo);
    expiry(m, 'qualification_expiring', m.qualificationExpiresOn);
    if (m.hoursThisYear < opts.requiredHours) {
      out.push({
        rule: 'training_short',
        subject: 'mediator',
        subjectId: m.id,
        townCode: m.townCode,
        due: null,
        daysLeft: null,
        hours: m.hoursThisYear,
        requiredHours: opts.requiredHours,
      });
    }
  }
  for (const r of rooms) {
    if (r.activeJudicialAssistants === 0) {
      out.push({
        rule: 'room_without_assistant',
        subject: 'station',
        subjectId: r.id,
        townCode: r.townCode,
        due: null,
        daysLeft: null,
      });
    }
  }
  const order: RegisterRule[] = [
    'room_without_assistant',
    'appointment_expiring',
    'qualification_expiring',
    'training_short',
  ];
  return out.sort(
    (a, b) =>
      order.indexOf(a.rule) - order.indexOf(b.rule) ||
      (a.daysLeft ?? 0) - (b.daysLeft ?? 0) ||
      (a.hours ?? 0) - (b.hours ?? 0) ||
      a.subjectId - b.subjectId,
  );
}

/** The appointment's dates in order, and an appointment number only with its start date. Null when fine. */
export function appointmentProblem(a: {
  appointmentNo?: string | null | undefined;
  appointedFrom?: string | null | undefined;
  appointedTo?: string | null | undefined;
}): { field: string; message: string } | null {
  if (a.appointedFrom && a.appointedTo && a.appointedTo < a.appointedFrom) {
    return { field: 'appointedTo', message: 'the appointment ends before it starts' };
  }
  if (a.appointmentNo && !a.appointedFrom) {
    return { field: 'appointedFrom', message: 'an appointment number needs the date it starts' };
  }
  return null;
}
