import type { TFunction } from 'i18next';
import type { CaseHistoryResponse } from '../../api/analytics';
import { caseEventKinds, isOneOf } from '../../api/vocabulary';
import { statusLabel } from '../../i18n/labels';

export interface TimelineEntry {
  at: string;
  label: string;
  note?: string;
}

/**
 * A case's history in words: its events (a status change by the new status, any other event by its kind), or,
 * for a case without events, its own report, acceptance and resolution times.
 */
export function caseTimeline(h: CaseHistoryResponse, t: TFunction): TimelineEntry[] {
  if (h.events.length > 0) {
    return h.events.map((e) => ({
      at: e.occurredAt,
      label: e.toStatus
        ? statusLabel(t, e.toStatus)
        : isOneOf(caseEventKinds, e.kind)
          ? t(`hotspots.event.${e.kind}`)
          : e.kind,
      note: [e.actor, e.note].filter(Boolean).join(' · '),
    }));
  }
  return [
    { at: h.reportedAt, label: t('status.reported') },
    ...(h.acceptedAt ? [{ at: h.acceptedAt, label: t('status.accepted') }] : []),
    ...(h.resolvedAt ? [{ at: h.resolvedAt, label: statusLabel(t, h.status) }] : []),
  ];
}
