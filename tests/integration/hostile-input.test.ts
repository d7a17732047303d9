import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, callerNames, type Fixtures, loadFixtures } from './access-fixtures.js';
import { backends, openWritableApp, type TestContext } from './harness.js';

/**
 * Hostile input over every documented route (the app's own OpenAPI document, so new routes are covered as they
 * are added) × every caller of the access matrix (five roles, two export tokens, anonymous): prototype keys,
 * NUL and other control characters, lone surrogates and broken percent-escapes, 1 MB strings, `1e309`, `-0`,
 * `NaN`, arrays and objects where a scalar is expected, duplicated query keys. Every request carries at least
 * one hostile part; none may answer 5xx, and every refusal says why. HOSTILE_REQUESTS sets the count per
 * backend (default 10,000), HOSTILE_SEED replays a run. The database is the file's own (requests may write).
 */
const total = Number(process.env.HOSTILE_REQUESTS ?? 10_000);
const seed = Number(process.env.HOSTILE_SEED ?? 20230517);

interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: Record<string, unknown>;
}
interface Operation {
  method: string;
  path: string;
  params: Param[];
  bodyFields: string[];
  hasBody: boolean;
}

function operations(app: FastifyInstance): Operation[] {
  const doc = (app as unknown as { swagger(): { paths: Record<string, Record<string, unknown>> } }).swagger();
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      // These end or change the callers' own sessions, which the rest of the run signs in with.
      if (/\/api\/auth\/(logout|password)/.test(path)) continue;
      const o = op as {
        parameters?: Param[];
        requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
      };
      const json = o.requestBody?.content?.['application/json']?.schema?.properties ?? {};
      out.push({
        method: method.toUpperCase(),
        path,
        params: o.parameters ?? [],
        bodyFields: Object.keys(json),
        hasBody: o.requestBody !== undefined || method !== 'get',
      });
    }
  }
  return out;
}

const MB = 'x'.repeat(1024 * 1024);
/** Strings no handler should trip over; prototype keys weigh most (they pass a lookup only when it is wrong). */
const hostileText = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'prototype',
      '__defineGetter__',
      'open,__proto__',
      'red,constructor',
      'toString,valueOf',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '\u0000',
      'a\u0000b',
      '430723\u0000',
      '\u0001\u0002\u001f\u007f',
      '\u202e\u200b\ufeff\u2028',
      '\ud800',
      'a\udc00b',
      '𠮷\ud83d',
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom('1e309', '-1e309', '-0', 'NaN', 'Infinity', '9007199254740993', '0x1F') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('1e-400', '', ' ', ',', '%', MB, '9'.repeat(500), "'; SELECT pg_sleep(5); --", '$1'),
  },
);
/** Sent as they are in the URL (not re-encoded): broken escapes, an encoded NUL, a CESU-8 surrogate. */
const rawEscapes = fc.constantFrom('%00', '%ED%A0%80', '%FF%FE', '%zz', '%E4%B8', 'a%00b', '%C0%80');

function plausible(schema: Record<string, unknown> | undefined, fx: Fixtures): fc.Arbitrary<string> {
  const out: fc.Arbitrary<string>[] = [
    fc.constantFrom(fx.town, fx.villageIn.town, fx.otherTown, String(fx.dispute.town), 'red', 'open', '2023-05-17'),
  ];
  const type = schema?.type;
  if (type === 'integer' || type === 'number') out.push(fc.integer({ min: -2, max: 3000 }).map(String));
  if (type === 'boolean') out.push(fc.constantFrom('true', 'false'));
  if (Array.isArray(schema?.enum)) out.push(fc.constantFrom(...(schema.enum as unknown[]).map(String)));
  if (Array.isArray(schema?.anyOf)) {
    const consts = (schema.anyOf as { const?: unknown; enum?: unknown[] }[]).flatMap((s) =>
      s.const !== undefined ? [String(s.const)] : (s.enum ?? []).map(String),
    );
    if (consts.length > 0) out.push(fc.constantFrom(...consts));
  }
  return fc.oneof(...out);
}

/** A JSON value where a scalar (or anything) is expected: hostile strings and numbers, arrays, objects. */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.constantFrom(-0, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER + 2, 1e-320, true, null),
  fc.array(hostileText, { maxLength: 3 }),
  fc.constantFrom({ $ne: 1 }, { __proto__: 'x' }, [[[[]]]], {}),
);

/** JSON text with what JSON.stringify cannot write: a number out of range, and prototype keys as own keys. */
function bodyText(fields: Record<string, unknown>, extra: number): string {
  const text = JSON.stringify(fields);
  const raw = [
    '"n":1e309',
    '"m":-1e309',
    '"big":90071992547409930',
    '"__proto__":{"polluted":"yes"}',
    '"constructor":{"prototype":{"x":1}}',
  ][extra];
  if (!raw) return text;
  return text === '{}' ? `{${raw}}` : `{${raw},${text.slice(1)}`;
}

interface Request {
  method: string;
  url: string;
  payload?: string;
  headers: Record<string, string>;
}

function requestFor(op: Operation, fx: Fixtures): fc.Arbitrary<Omit<Request, 'headers'>> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const enc = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
  // A value, encoded for the URL: plausible, hostile, or a raw broken escape.
  const urlValue = (schema: Record<string, unknown> | undefined, hostile: boolean) =>
    hostile
      ? fc.oneof(hostileText.map(enc), rawEscapes)
      : fc.oneof({ weight: 6, arbitrary: plausible(schema, fx).map(enc) }, hostileText.map(enc), rawEscapes);
  const query = fc
    .tuple(
      fc.subarray(queryParams),
      fc.option(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'), { nil: undefined }),
      fc.boolean(),
    )
    .chain(([ps, extraKey, duplicate]) =>
      fc.tuple(
        fc.tuple(...ps.map((p) => urlValue(p.schema, false).map((v) => `${encodeURIComponent(p.name)}=${v}`))),
        fc.constant(extraKey),
        // A key repeated: Fastify hands the route an array where it expects a string.
        duplicate && ps[0] ? urlValue(ps[0].schema, true).map((v) => `${ps[0]?.name}=${v}`) : fc.constant(null),
      ),
    )
    .map(([pairs, extraKey, dup]) => [...pairs, ...(extraKey ? [`${extraKey}=1`] : []), ...(dup ? [dup] : [])]);
  const path = fc.tuple(...pathParams.map((p) => urlValue(p.schema, false)), fc.constant(''));
  const fieldNames = [...op.bodyFields, 'name', 'status', 'note', 'villageCode', 'version'];
  const body = op.hasBody
    ? fc.oneof(
        fc
          .tuple(
            fc.dictionary(
              fc.constantFrom(...fieldNames),
              fc.oneof(hostileJson, plausible(undefined, fx)) as fc.Arbitrary<unknown>,
              {
                minKeys: 1,
                maxKeys: 6,
              },
            ),
            fc.integer({ min: 0, max: 6 }),
          )
          .map(([fields, extra]) => bodyText(fields, extra)),
        fc.constantFrom('', '{', 'null', '[]', '"x"', '{"a":', '[1e309]', `"${'a'.repeat(2 * 1024 * 1024)}"`),
      )
    : fc.constant(undefined);
  // One part at least is hostile: otherwise the request is a plausible one, which fuzz.test.ts covers.
  const hostilePart = fc.constantFrom('path', 'query', 'body');
  return fc
    .tuple(path, query, body, hostilePart, urlValue(undefined, true), fc.nat())
    .map(([p, q, b, where, bad, n]) => {
      let i = 0;
      const values = p.slice(0, pathParams.length);
      if (where === 'path' && values.length > 0) values[0] = bad;
      const url = op.path.replace(/\{[^}]+\}/g, () => values[i++] ?? 'x');
      let pairs = [...q];
      if (where === 'query' || (where === 'path' && values.length === 0) || (where === 'body' && b === undefined)) {
        // In place of that parameter's plausible value, so the route's own parsing sees it (a repeated key is
        // refused by the schema before that).
        const name = encodeURIComponent(queryParams[n % Math.max(queryParams.length, 1)]?.name ?? 'q');
        pairs = [...pairs.filter((kv) => !kv.startsWith(`${name}=`)), `${name}=${bad}`];
      }
      const qs = pairs.join('&');
      return { method: op.method, url: qs ? `${url}?${qs}` : url, ...(b !== undefined ? { payload: b } : {}) };
    });
}

describe.each(backends)('hostile input on %s', (backend) => {
  let ctx: TestContext;
  let fx: Fixtures;
  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    fx = await loadFixtures(ctx);
  });
  afterAll(async () => ctx?.close());

  it(`answers ${total} hostile requests over every route and caller below 500, each refusal with a message`, async () => {
    const ops = operations(ctx.app);
    expect(ops.length).toBeGreaterThan(40);
    const callers: Caller[] = callerNames.map((n) => fx.callers[n]);
    const perOp = Math.ceil(total / ops.length);
    const counts = { requests: 0, status5xx: 0, status429: 0, status4xx: 0, status2xx: 0 };
    const failures: string[] = [];
    const started = Date.now();
    for (const [k, op] of ops.entries()) {
      const samples = fc.sample(requestFor(op, fx), { numRuns: perOp, seed: seed + k });
      for (const [j, r] of samples.entries()) {
        const who = callers[j % callers.length] as Caller;
        const res = await ctx.app.inject({
          method: r.method as 'GET',
          url: r.url,
          // A client address per request: the anonymous rate limits (sign-in) count per address.
          remoteAddress: `10.${(j >> 16) & 255}.${(j >> 8) & 255}.${j & 255}`,
          headers: { ...who.headers, ...(r.payload !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(r.payload !== undefined ? { payload: r.payload } : {}),
        });
        counts.requests++;
        const what = `${who.name} ${r.method} ${r.url.slice(0, 300)} ${(r.payload ?? '').slice(0, 200)}`;
        if (res.statusCode >= 500) {
          counts.status5xx++;
          if (failures.length < 20) failures.push(`${what} → ${res.statusCode} ${res.body.slice(0, 300)}`);
        } else if (res.statusCode === 429) counts.status429++;
        else if (res.statusCode >= 400) {
          counts.status4xx++;
          const message = (JSON.parse(res.body) as { message?: unknown }).message;
          if (typeof message !== 'string' || message === '') failures.push(`${what} → ${res.statusCode}: no message`);
        } else counts.status2xx++;
        expect(({} as Record<string, unknown>).polluted, what).toBeUndefined();
      }
    }
    console.log(
      `[hostile ${backend}] ${counts.requests} requests over ${ops.length} operations × ${callers.length} callers in ` +
        `${Math.round((Date.now() - started) / 1000)} s: 5xx ${counts.status5xx}, 429 ${counts.status429}, ` +
        `other 4xx ${counts.status4xx}, 2xx/3xx ${counts.status2xx}`,
    );
    expect(failures, failures.join('\n')).toEqual([]);
    expect(counts.requests).toBeGreaterThanOrEqual(total);
    // The rate limits must not hide answers: nearly every request reached its route's code.
    expect(counts.status429, 'rate-limited answers').toBeLessThan(counts.requests / 100);
  }, 600_000);
});
