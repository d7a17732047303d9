import { type QueryClient, queryOptions } from '@tanstack/react-query';
import { requestJson } from './client';

export const roles = ['admin', 'leader', 'town_officer', 'station_staff', 'screener', 'export_client'] as const;
export type Role = (typeof roles)[number];

/** The signed-in caller (GET /api/auth/me). */
export interface Me {
  kind: 'account' | 'token';
  id: number;
  username: string;
  displayName: string;
  role: Role;
  towns: string[] | null;
  stationId: number | null;
  villages: string[] | null;
  mayRevealPersonalData: boolean;
}

const send = requestJson;

export const authKeys = { all: ['auth'] as const, me: ['auth', 'me'] as const, setup: ['auth', 'setup'] as const };
export const meKey = authKeys.me;

/**
 * The caller changed (signed in, signed out, the session ended): another person's cached answers must not show,
 * so everything but the auth entries is dropped.
 */
export function setCaller(queryClient: QueryClient, me: Me | null): void {
  queryClient.setQueryData(authKeys.me, me);
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== authKeys.all[0] });
}

/** Who is signed in; null when nobody is, so the app shows the sign-in page (GET /api/auth/session: 200 either way). */
export const meQuery = () =>
  queryOptions({
    queryKey: meKey,
    queryFn: async (): Promise<Me | null> => (await send<{ me: Me | null }>('GET', '/api/auth/session')).me,
    staleTime: 60_000,
    retry: false,
  });

export const setupNeededQuery = () =>
  queryOptions({
    queryKey: authKeys.setup,
    queryFn: () => send<{ needed: boolean }>('GET', '/api/auth/setup'),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const login = (username: string, password: string) =>
  send<Me>('POST', '/api/auth/login', { username, password });
export const logout = () => send<void>('POST', '/api/auth/logout');
export const changePassword = (current: string, next: string) =>
  send<void>('POST', '/api/auth/password', { current, next });
export const setupFirstAdmin = (b: { code: string; username: string; displayName: string; password: string }) =>
  send<Me>('POST', '/api/auth/setup', b);
