import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { ErrorBody } from '../../../server/contract';

/** Body of every 4xx/5xx answer (the API contract's ErrorBody). */
export type ApiErrorBody = ErrorBody;

/** An HTTP answer other than 2xx, carrying the server's error body when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody | null;

  constructor(status: number, body: ApiErrorBody | null, url: string) {
    super(body?.message ? `${status} ${body.message}` : `${status} ${url}`);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && 'statusCode' in value && 'message' in value;
}

type QueryValue = string | number | boolean | null | undefined;

/** Builds `/api/...?a=1` leaving out null/undefined/empty parameters. */
export function apiUrl(path: string, params: Record<string, QueryValue> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** GET JSON (or GeoJSON) from the same origin; the signal comes from TanStack Query so stale requests abort. */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json, application/geo+json' }, signal });
  if (!response.ok) {
    let body: ApiErrorBody | null = null;
    try {
      const parsed: unknown = await response.json();
      if (isErrorBody(parsed)) body = parsed;
    } catch {
      // Not JSON (a proxy's HTML error page, say): the status alone must do.
    }
    throw new ApiError(response.status, body, url);
  }
  return (await response.json()) as T;
}

/**
 * Sends a request with an optional JSON body and reads the JSON answer (none for 204); a non-2xx answer throws
 * ApiError with the server's error body (400s name the field, 409s say why).
 */
export async function requestJson<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers:
      body === undefined
        ? { accept: 'application/json' }
        : { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) {
    let parsed: unknown = null;
    try {
      parsed = await response.json();
    } catch {
      // Not JSON (a proxy's HTML error page, say): the status alone must do.
    }
    throw new ApiError(response.status, isErrorBody(parsed) ? parsed : null, url);
  }
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

/**
 * Marks every query under these key prefixes stale and refetches the ones on screen; resolves once they have, so
 * a form that closes after a write shows the written state. Each write's list of prefixes lives beside it in its
 * resource module.
 */
export async function invalidate(queryClient: QueryClient, prefixes: readonly QueryKey[]): Promise<void> {
  await Promise.all(prefixes.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

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
