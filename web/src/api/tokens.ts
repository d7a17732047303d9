/** API tokens of machine clients (GET/POST/DELETE /api/tokens), for the administrators' page. */
import { mutationOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import { auditKeys } from './audit';
import { getJson, invalidate, requestJson } from './client';

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

export const tokenKeys = { all: ['tokens'] as const };

export const tokensQuery = () =>
  queryOptions({
    queryKey: tokenKeys.all,
    queryFn: ({ signal }) => getJson<ApiToken[]>('/api/tokens', signal),
  });

/** What a token write makes stale: the list, and the audit trail that records the write. */
export const TOKEN_WRITE_STALE = [tokenKeys.all, auditKeys.all] as const;

/** Issues a token; the answer carries the secret once, to be shown once. */
export const createTokenMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (b: NewToken) =>
      requestJson<{ id: number; token: string; expiresAt: string }>('POST', '/api/tokens', b),
    onSuccess: () => invalidate(queryClient, TOKEN_WRITE_STALE),
  });

export const revokeTokenMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: (id: number) => requestJson<void>('DELETE', `/api/tokens/${id}`),
    onSuccess: () => invalidate(queryClient, TOKEN_WRITE_STALE),
  });
