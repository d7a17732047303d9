import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import authPlugin from '../../server/plugins/auth.js';
import { backends, openTestApp, type TestContext } from './harness.js';

/** Distinct client addresses keep each test's login rate-limit window its own. */
let nextIp = 10;
const freshIp = () => `10.9.0.${nextIp++}`;

describe.each(backends)('accounts and sessions (%s)', (backend) => {
  let ctx: TestContext;
  const password = 'Correct-Horse-42';

  beforeAll(async () => {
    ctx = await openTestApp(backend);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /** A fresh town-officer account (unique name per backend run) made through the admin API. */
  async function newAccount(prefix: string): Promise<{ id: number; username: string }> {
    const username = `${prefix}.${backend}.${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/accounts',
      payload: { username, displayName: '测试干部', role: 'town_officer', townCode: '430723108', password },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json().id, username };
  }

  async function login(username: string, pw: string, ip = freshIp()) {
    return ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: pw },
      headers: { cookie: '' },
      remoteAddress: ip,
    });
  }

  const cookieOf = (res: { headers: Record<string, unknown> }) =>
    String(res.headers['set-cookie']).split(';')[0] as string;

  it('refuses anonymous calls to guarded routes and answers public ones', async () => {
    for (const url of [
      '/api/summary',
      '/api/disputes/1',
      '/api/export/disputes.csv',
      '/tiles/disputes/10/830/420.mvt',
      '/ogc/collections',
    ]) {
      const res = await ctx.app.inject({ method: 'GET', url, headers: { cookie: '' } });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().message).toMatch(/Sign in/);
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/api/health', headers: { cookie: '' } })).statusCode).toBe(200);
    // The web app's probe: 200 with nobody, so the sign-in page does not open with a failed request.
    const session = await ctx.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: '' } });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual({ me: null });
    expect((await ctx.app.inject({ method: 'GET', url: '/api/config', headers: { cookie: '' } })).statusCode).toBe(200);
  });

  it('signs in with an HttpOnly SameSite cookie, knows the caller, and signs out', async () => {
    const { username } = await newAccount('login');
    const res = await login(username, password);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ username, role: 'town_officer', towns: ['430723108'] });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = cookieOf(res);
    const me = await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.json().username).toBe(username);
    const session = await ctx.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
    expect(session.json()).toEqual({ me: me.json() });
    expect((await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(
      204,
    );
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    const { rows } = await ctx.db.query<{ action: string; outcome: string }>(
      `SELECT action, outcome FROM audit_log WHERE actor_name = $1 ORDER BY id`,
      [username],
    );
    expect(rows.map((r) => r.action)).toEqual(['login', 'logout']);
  });

  it('locks an account after repeated failures, refusing even the right password until unlocked', async () => {
    const { id, username } = await newAccount('lock');
    const ip = freshIp();
    for (let i = 1; i <= 4; i++) expect((await login(username, 'wrong-password', ip)).statusCode).toBe(401);
    const fifth = await login(username, 'wrong-password', ip);
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().message).toMatch(/locked/);
    expect((await login(username, password, ip)).statusCode).toBe(423);
    const failed = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'login' AND outcome = 'failed' AND actor_id = $1`,
      [id],
    );
    expect(failed.rows[0]?.n).toBe(6);
    // The lock expires by itself…
    await ctx.db.query(`UPDATE accounts SET locked_until = now() - interval '1 second' WHERE id = $1`, [id]);
    expect((await login(username, password, freshIp())).statusCode).toBe(200);
    // …or an administrator unlocks it.
    const ip2 = freshIp();
    for (let i = 0; i < 5; i++) await login(username, 'wrong-password', ip2);
    expect((await login(username, password, freshIp())).statusCode).toBe(423);
    const unlock = await ctx.app.inject({ method: 'PATCH', url: `/api/accounts/${id}`, payload: { unlock: true } });
    expect(unlock.statusCode, unlock.body).toBe(200);
    expect((await login(username, password, freshIp())).statusCode).toBe(200);
  });

  it('ends a session after the idle timeout and after its maximum age', async () => {
    const { username } = await newAccount('idle');
    const cookie = cookieOf(await login(username, password));
    const me = () => ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect((await me()).statusCode).toBe(200);
    const hash = (
      await ctx.db.query<{ id_hash: string }>(
        'SELECT s.id_hash FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.username = $1',
        [username],
      )
    ).rows[0]?.id_hash;
    await ctx.db.query(`UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE id_hash = $1`, [hash]);
    expect((await me()).statusCode).toBe(200); // still inside 30 minutes, and this refreshes it
    await ctx.db.query(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE id_hash = $1`, [hash]);
    expect((await me()).statusCode).toBe(401);

    const second = cookieOf(await login(username, password));
    await ctx.db.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second' FROM accounts a
       WHERE a.id = sessions.account_id AND a.username = $1`,
      [username],
    );
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: second } })).statusCode).toBe(
      401,
    );
  });

  it('changes a password under the password rule and ends the other sessions', async () => {
    const { username } = await newAccount('pw');
    const a = cookieOf(await login(username, password));
    const b = cookieOf(await login(username, password));
    const change = (cookie: string, current: string, next: string) =>
      ctx.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie }, payload: { current, next } });
    const weak = await change(a, password, 'short');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().field).toBe('next');
    expect((await change(a, 'not-current', 'Another-Good-99')).json().field).toBe('current');
    expect((await change(a, password, 'Another-Good-99')).statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: a } })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: b } })).statusCode).toBe(401);
    expect((await login(username, password)).statusCode).toBe(401);
    expect((await login(username, 'Another-Good-99')).statusCode).toBe(200);
  });

  it('rate-limits sign-in attempts per address and username, not per address alone', async () => {
    const ip = freshIp();
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await login('nobody-here', 'x', ip)).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes[10]).toBe(429);
    // A colleague signing in from the same office address is not held up.
    expect((await login('someone-else', 'x', ip)).statusCode).toBe(401);
  });

  it('issues export tokens that read the export API only, and stop working when revoked or expired', async () => {
    const made = await ctx.app.inject({
      method: 'POST',
      url: '/api/tokens',
      payload: { name: 'GIS platform', expiresInDays: 30 },
    });
    expect(made.statusCode, made.body).toBe(201);
    const { id, token } = made.json() as { id: number; token: string };
    const as = (url: string) => ctx.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect((await as('/api/export/stations.csv')).statusCode).toBe(200);
    expect((await as('/ogc/collections')).statusCode).toBe(200);
    expect((await as('/api/summary')).statusCode).toBe(403);
    expect((await as('/api/disputes/1')).statusCode).toBe(403);
    const listed = await ctx.app.inject({ method: 'GET', url: '/api/tokens' });
    expect(JSON.stringify(listed.json())).not.toContain(token);
    const audited = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE actor_kind = 'token' AND actor_id = $1 AND action = 'export'`,
      [id],
    );
    expect(audited.rows[0]?.n).toBe(1);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/tokens/${id}` })).statusCode).toBe(204);
    expect((await as('/api/export/stations.csv')).statusCode).toBe(401);

    const other = (
      await ctx.app.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'old', expiresInDays: 1 } })
    ).json();
    await ctx.db.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [other.id]);
    const expired = await ctx.app.inject({
      method: 'GET',
      url: '/ogc',
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(expired.statusCode).toBe(401);
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/ogc', headers: { authorization: 'Basic abc' } })).statusCode,
    ).toBe(401);
  });

  it('lets only administrators manage accounts, and refuses fields a role does not have', async () => {
    const leader = await ctx.cookieFor('leader');
    const asLeader = await ctx.app.inject({ method: 'GET', url: '/api/accounts', headers: { cookie: leader } });
    expect(asLeader.statusCode).toBe(403);
    const bad = await ctx.app.inject({
      method: 'POST',
      url: '/api/accounts',
      payload: { username: `x.${backend}.leader`, displayName: 'x', role: 'leader', townCode: '430723108', password },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('townCode');
    const extra = await ctx.app.inject({
      method: 'POST',
      url: '/api/accounts',
      payload: { username: `y.${backend}.admin`, displayName: 'y', role: 'admin', password, demo: true },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().field).toBe('demo');
  });

  it('sends security headers whose CSP still lets MapLibre run its worker, and hides internals in errors', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/worker-src 'self' blob:/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    const big = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: '', 'content-type': 'application/json' },
      remoteAddress: freshIp(),
      payload: JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    const broken = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: '', 'content-type': 'application/json' },
      remoteAddress: freshIp(),
      payload: '{"username": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.body).not.toMatch(/at .*\.(ts|js):\d+|SELECT|node_modules/);
  });

  it('rate-limits exports per caller', async () => {
    const { token } = (
      await ctx.app.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'eager client', expiresInDays: 1 } })
    ).json() as { token: string };
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await ctx.app.inject({
        method: 'GET',
        url: '/api/export/stations.csv',
        headers: { authorization: `Bearer ${token}` },
      });
      codes.push(res.statusCode);
    }
    expect(codes.slice(0, 30).every((c) => c === 200)).toBe(true);
    expect(codes[30]).toBe(429);
  });

  it('keeps the audit trail append-only', async () => {
    await expect(
      ctx.db.query(`UPDATE audit_log SET action = 'x' WHERE id = (SELECT min(id) FROM audit_log)`),
    ).rejects.toThrow(/append-only/);
    await expect(ctx.db.query('DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)')).rejects.toThrow(
      /append-only/,
    );
    const page = await ctx.app.inject({ method: 'GET', url: '/api/audit?action=login&limit=5' });
    expect(page.statusCode).toBe(200);
    expect(page.json().rows.every((r: { action: string }) => r.action === 'login')).toBe(true);
  });

  it('records reading the audit trail once per reader and sitting, not once per page', async () => {
    const readers: { id: number; cookie: string }[] = [];
    for (const prefix of ['reader.a', 'reader.b']) {
      const username = `${prefix}.${backend}.${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
      const made = await ctx.app.inject({
        method: 'POST',
        url: '/api/accounts',
        payload: { username, displayName: '审计查看人', role: 'admin', password },
      });
      expect(made.statusCode, made.body).toBe(201);
      readers.push({ id: made.json().id, cookie: cookieOf(await login(username, password)) });
    }
    for (const { cookie } of readers) {
      for (const url of [
        '/api/audit?limit=5',
        '/api/audit?limit=5&action=login',
        '/api/audit?limit=5&before=1000000',
      ]) {
        expect((await ctx.app.inject({ method: 'GET', url, headers: { cookie } })).statusCode, url).toBe(200);
      }
    }
    for (const { id } of readers) {
      const { rows } = await ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE actor_kind = 'account' AND actor_id = $1 AND action = 'audit-read'`,
        [id],
      );
      expect(rows[0]?.n).toBe(1);
    }
  });

  it('refuses the first-administrator setup while an administrator exists', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/setup',
      headers: { cookie: '' },
      payload: { code: 'whatever', username: 'first.admin', displayName: '管理员', password },
    });
    expect(res.statusCode).toBe(409);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/setup', headers: { cookie: '' } })).json()).toEqual({
      needed: false,
    });
  });
  // The full first-run path needs a database without administrators: only the embedded copy is this file's own
  // (the server database is shared with other files running at the same time).
  if (backend === 'embedded') {
    it('creates the first administrator with the one-time setup code, once', async () => {
      await ctx.db.query(`UPDATE accounts SET disabled = true WHERE role = 'admin'`);
      const codes: string[] = [];
      const { prepareDatabase } = await import('../../server/bootstrap.js');
      await prepareDatabase(ctx.db, 'never', (m) => codes.push(m), { setupCode: true });
      const code = /one-time code: (\S+)/.exec(codes.join('\n'))?.[1];
      expect(code).toBeDefined();
      const setup = (c: string, username: string) =>
        ctx.app.inject({
          method: 'POST',
          url: '/api/auth/setup',
          headers: { cookie: '' },
          payload: { code: c, username, displayName: '首任管理员', password },
        });
      expect((await ctx.app.inject({ method: 'GET', url: '/api/auth/setup', headers: { cookie: '' } })).json()).toEqual(
        {
          needed: true,
        },
      );
      const wrong = await setup('not-the-code', 'first.admin');
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().field).toBe('code');
      const ok = await setup(code as string, 'first.admin');
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ username: 'first.admin', role: 'admin' });
      expect(String(ok.headers['set-cookie'])).toMatch(/ljm_session=/);
      expect((await setup(code as string, 'second.admin')).statusCode).toBe(409);
    });
  }
});

describe('the access policy', () => {
  it('refuses to start when a guarded route has no entry in the policy', async () => {
    const app = Fastify();
    await app.register(authPlugin);
    await app.ready();
    expect(() => app.get('/api/not-in-the-policy', async () => ({}))).toThrow(
      /no access policy for GET \/api\/not-in-the-policy/,
    );
    await app.close().catch(() => {});
  });
});
