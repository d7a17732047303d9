/** The audit trail (GET /api/audit), newest first, paged back with `before`. */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiUrl, getJson } from './client';

export interface AuditRow {
  id: number;
  at: string;
  actorKind: string;
  actorId: number | null;
  actorName: string | null;
  role: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  ip: string | null;
  detail: Record<string, unknown>;
}

export interface AuditFilter {
  action?: string | undefined;
  actor?: string | undefined;
  outcome?: string | undefined;
  before?: number | undefined;
}

export const AUDIT_PAGE = 50;

export const auditKeys = { all: ['audit'] as const };

export const auditQuery = (filter: AuditFilter) =>
  queryOptions({
    queryKey: [
      ...auditKeys.all,
      {
        action: filter.action ?? null,
        actor: filter.actor ?? null,
        outcome: filter.outcome ?? null,
        before: filter.before ?? null,
      },
    ] as const,
    queryFn: ({ signal }) =>
      getJson<{ rows: AuditRow[]; total: number }>(apiUrl('/api/audit', { ...filter, limit: AUDIT_PAGE }), signal),
    placeholderData: keepPreviousData,
  });
