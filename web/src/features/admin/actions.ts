/**
 * Audit actions in words. The server writes named actions for logins, exports and reveals, and
 * "METHOD /route/:param" for every write; this turns either into an i18n key plus parameters. Pure.
 */

/** Actions the server names itself (server/routes/auth, server/auth/policy.ts `audit`). */
export const NAMED_ACTIONS = [
  'login',
  'logout',
  'password-change',
  'setup-first-admin',
  'export',
  'reveal',
  'audit-read',
] as const;

/** Writes offered in the action filter (the policy's write routes that people do from the dashboard). */
export const WRITE_ACTIONS = [
  'POST /api/accounts',
  'PATCH /api/accounts/:id',
  'POST /api/tokens',
  'DELETE /api/tokens/:id',
  'POST /api/disputes',
  'PATCH /api/disputes/:id',
  'POST /api/disputes/:id/transitions',
  'POST /api/disputes/:id/handoffs',
  'POST /api/disputes/:id/agreement',
  'POST /api/disputes/:id/reopen',
  'POST /api/stations',
  'PATCH /api/stations/:id',
  'DELETE /api/stations/:id',
  'POST /api/screenings',
  'POST /api/screening-rounds',
  'POST /api/uploads',
] as const;

/** Resources the words know (the second path segment); others are shown by their path. */
export const RESOURCES = [
  'accounts',
  'tokens',
  'disputes',
  'stations',
  'screenings',
  'screening-rounds',
  'uploads',
  'auth',
] as const;

/** Sub-actions on a case (`POST /api/disputes/:id/<step>`). */
export const STEPS = [
  'transitions',
  'handoffs',
  'agreement',
  'reopen',
  'password',
  'logout',
  'login',
  'setup',
] as const;

export type Verb = 'create' | 'change' | 'delete' | 'revoke' | 'write';
export type Resource = (typeof RESOURCES)[number];
export type Step = (typeof STEPS)[number];

/** `known` tells whether the resource has words (an i18n key); it narrows `resource` for the key's type check. */
export type ActionWords =
  | { kind: 'named'; name: (typeof NAMED_ACTIONS)[number]; failed: boolean }
  | { kind: 'write'; verb: Verb; resource: Resource; step: Step | null; known: true }
  | { kind: 'write'; verb: Verb; resource: string; step: Step | null; known: false }
  | { kind: 'other'; text: string };

const VERBS: Record<string, Verb> = { POST: 'create', PUT: 'change', PATCH: 'change', DELETE: 'delete' };

export function describeAction(action: string, outcome: string = 'ok'): ActionWords {
  const named = NAMED_ACTIONS.find((n) => n === action);
  if (named) return { kind: 'named', name: named, failed: outcome !== 'ok' };
  const m = /^(POST|PUT|PATCH|DELETE) \/api\/([a-z-]+)(?:\/:[A-Za-z]+)?(?:\/([a-z-]+))?$/.exec(action);
  if (!m) return { kind: 'other', text: action };
  const [, method, resource = '', rawStep] = m;
  const step = STEPS.find((s) => s === rawStep) ?? null;
  if (rawStep && !step) return { kind: 'other', text: action };
  const known = RESOURCES.find((r) => r === resource);
  // Tokens are revoked, not deleted: the row stays for the audit trail.
  const verb = step
    ? 'write'
    : method === 'DELETE' && resource === 'tokens'
      ? 'revoke'
      : (VERBS[method ?? ''] ?? 'write');
  return known
    ? { kind: 'write', verb, resource: known, step, known: true }
    : { kind: 'write', verb, resource, step, known: false };
}
