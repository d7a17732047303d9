/** Accounts of people (GET/POST/PATCH /api/accounts), for the administrators' page. */
import { mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import { auditKeys } from './audit';
import { getJson, invalidate, requestJson } from './client';

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

export const accountKeys = { all: ['accounts'] as const };

export const accountsQuery = () =>
  queryOptions({
    queryKey: accountKeys.all,
    queryFn: ({ signal }) => getJson<Account[]>('/api/accounts', signal),
  });

/** What an account write makes stale: the list, and the audit trail that records the write. */
export const ACCOUNT_WRITE_STALE = [accountKeys.all, auditKeys.all] as const;

export const createAccountMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (b: NewAccount) => requestJson<Account>('POST', '/api/accounts', b),
    onSuccess: () => invalidate(queryClient, ACCOUNT_WRITE_STALE),
  });

export const changeAccountMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: ({ id, change }: { id: number; change: AccountChange }) =>
      requestJson<Account>('PATCH', `/api/accounts/${id}`, change),
    onSuccess: () => invalidate(queryClient, ACCOUNT_WRITE_STALE),
  });
