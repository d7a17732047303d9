import { describe, expect, it } from 'vitest';
import { ApiError, errorField } from '../../web/src/api/client';
import { describeAction } from '../../web/src/features/admin/actions';

describe('audit actions in words', () => {
  it('names sign-ins, failed sign-ins, exports and reveals', () => {
    expect(describeAction('login')).toEqual({ kind: 'named', name: 'login', failed: false });
    expect(describeAction('login', 'failed')).toEqual({ kind: 'named', name: 'login', failed: true });
    expect(describeAction('export', 'ok')).toEqual({ kind: 'named', name: 'export', failed: false });
    expect(describeAction('reveal')).toMatchObject({ kind: 'named', name: 'reveal' });
  });

  it('turns a write route into a verb and a resource', () => {
    expect(describeAction('PATCH /api/disputes/:id')).toEqual({
      kind: 'write',
      verb: 'change',
      resource: 'disputes',
      step: null,
      known: true,
    });
    expect(describeAction('POST /api/accounts')).toMatchObject({ verb: 'create', resource: 'accounts' });
    expect(describeAction('DELETE /api/tokens/:id')).toMatchObject({ verb: 'revoke', resource: 'tokens' });
    expect(describeAction('DELETE /api/stations/:id')).toMatchObject({ verb: 'delete', resource: 'stations' });
  });

  it('names a step on a case', () => {
    expect(describeAction('POST /api/disputes/:id/handoffs')).toMatchObject({
      kind: 'write',
      resource: 'disputes',
      step: 'handoffs',
    });
    expect(describeAction('POST /api/auth/password')).toMatchObject({ resource: 'auth', step: 'password' });
  });

  it('leaves what it does not know as it came, never guessing', () => {
    expect(describeAction('POST /api/widgets')).toMatchObject({ kind: 'write', resource: 'widgets', known: false });
    expect(describeAction('POST /api/disputes/:id/teleport')).toEqual({
      kind: 'other',
      text: 'POST /api/disputes/:id/teleport',
    });
    expect(describeAction('something-new')).toEqual({ kind: 'other', text: 'something-new' });
  });
});

describe('the field a 400 names', () => {
  const err = (field?: string) =>
    new ApiError(400, { statusCode: 400, error: 'Bad Request', message: 'x', ...(field ? { field } : {}) }, '/api');
  it('strips an array index so the message lands at the list field', () => {
    expect(errorField(err('villages[2]'))).toBe('villages');
    expect(errorField(err('villages.0'))).toBe('villages');
    expect(errorField(err('townCode'))).toBe('townCode');
  });
  it('is null without a field or for other errors', () => {
    expect(errorField(err())).toBeNull();
    expect(errorField(new Error('network'))).toBeNull();
  });
});
