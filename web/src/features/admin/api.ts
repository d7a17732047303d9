/** Query factories and calls for the administrators' page: accounts, API tokens, the audit trail. */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { ApiError, apiUrl, getJson, requestJson } from '../../api/client';

export const ACCOUNT_ROLES = ['admin', 'leader', 'town_officer', 'station_staff', 'screener'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export interface Account {
  id: number;
  username: string;
  displayName: string;
  role: AccountRole;
  townCode: string | null;
  stationId: number | null;
  villages: string[];
  disabled: boolean;
  locked: boolean;
  demo: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: AccountRole;
  password: string;
  townCode?: string;
  stationId?: number;
  villages?: string[];
}

export type AccountChange = { displayName?: string; disabled?: boolean; unlock?: true; password?: string };

export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  role: string;
  townCode: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface NewToken {
  name: string;
  expiresInDays: number;
  townCode?: string;
}

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

export const adminKeys = {
  all: ['admin'] as const,
  accounts: ['admin', 'accounts'] as const,
  tokens: ['admin', 'tokens'] as const,
  audit: ['admin', 'audit'] as const,
};

const send = requestJson;

export const accountsQuery = () =>
  queryOptions({
    queryKey: adminKeys.accounts,
    queryFn: ({ signal }) => getJson<Account[]>('/api/accounts', signal),
  });

export const tokensQuery = () =>
  queryOptions({
    queryKey: adminKeys.tokens,
    queryFn: ({ signal }) => getJson<ApiToken[]>('/api/tokens', signal),
  });

export const auditQuery = (filter: AuditFilter) =>
  queryOptions({
    queryKey: [
      ...adminKeys.audit,
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

export const createAccount = (b: NewAccount) => send<Account>('POST', '/api/accounts', b);
export const changeAccount = (id: number, b: AccountChange) => send<Account>('PATCH', `/api/accounts/${id}`, b);
export const createToken = (b: NewToken) =>
  send<{ id: number; token: string; expiresAt: string }>('POST', '/api/tokens', b);
export const revokeToken = (id: number) => send<void>('DELETE', `/api/tokens/${id}`);

/** The field a 400 names (`villages[2]` → `villages`), so the form can show the message there. */
export function errorField(err: unknown): string | null {
  if (!(err instanceof ApiError) || !err.body) return null;
  const field = err.body.field;
  return field ? field.replace(/(\[\d+\]|\.\d+)$/, '') : null;
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.body?.message ?? err.message;
  return err instanceof Error ? err.message : String(err);
}
