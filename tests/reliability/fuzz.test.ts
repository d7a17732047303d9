import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestApp, type TestContext } from '../integration/harness.js';

/**
 * Property-based fuzzing of every documented route (taken from the app's own OpenAPI document, so new routes are
 * covered as they are added) and of the upload parsers: whatever arrives, the answer is never a 5xx, every
 * rejection is a 4xx with a message, and no body can pollute Object.prototype. Runs are few in CI
 * (RELIABILITY_FUZZ_RUNS per route, default 3; seed via RELIABILITY_FUZZ_SEED to replay a failure).
 */
const runs = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 3);
/** The file property uploads runs × 20 files (the bench: hundreds); a second each at the most, plus a minute. */
const filesTimeout = 60_000 + runs * 20 * 1000;
const seed = process.env.RELIABILITY_FUZZ_SEED ? Number(process.env.RELIABILITY_FUZZ_SEED) : undefined;

interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: Record<string, unknown>;
}
interface Operation {
  method: string;
  path: string;
  params: Param[];
  body: boolean;
  /** An endless answer (Server-Sent Events): asked over HTTP and hung up on once its head arrives. */
  stream: boolean;
}

/** Routes whose 200 never ends by design; `inject` would wait for the end forever. */
const STREAMS = new Set(['/api/notifications/stream']);

/** Operations of the OpenAPI document, minus the few that end the test's own session. */
function operations(app: FastifyInstance): Operation[] {
  const doc = (app as unknown as { swagger(): { paths: Record<string, Record<string, unknown>> } }).swagger();
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      if (/\/api\/auth\/(logout|password)/.test(path)) continue;
      const o = op as { parameters?: Param[]; requestBody?: unknown };
      out.push({
        method: method.toUpperCase(),
        path,
        params: o.parameters ?? [],
        body: o.requestBody !== undefined,
        stream: STREAMS.has(path),
      });
    }
  }
  return out;
}

/** Values that are plausible for a schema, and values that are not. */
function valueFor(schema: Record<string, unknown> | undefined): fc.Arbitrary<string> {
  const junk = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom('', '-1', '0', '1e309', 'NaN', 'null', '[]', '{}', "'; DROP TABLE disputes; --", '%00', '../..'),
    fc.constantFrom('9'.repeat(40), 'x'.repeat(5000), '\u0000', '𠮷', '2023-02-30', '999999999', '-180,-90,180,90'),
  );
  const plausible: fc.Arbitrary<string>[] = [];
  const type = schema?.type;
  if (type === 'integer' || type === 'number') plausible.push(fc.integer({ min: -5, max: 3000 }).map(String));
  if (type === 'boolean') plausible.push(fc.constantFrom('true', 'false'));
  if (Array.isArray(schema?.enum)) plausible.push(fc.constantFrom(...(schema.enum as unknown[]).map(String)));
  if (Array.isArray(schema?.anyOf)) {
    const consts = (schema.anyOf as { const?: unknown; enum?: unknown[] }[]).flatMap((s) =>
      s.const !== undefined ? [String(s.const)] : (s.enum ?? []).map(String),
    );
    if (consts.length > 0) plausible.push(fc.constantFrom(...consts));
  }
  if (schema?.format === 'date' || /date|from|to/.test(String(schema?.description ?? '')))
    plausible.push(
      fc
        .date({ min: new Date('2015-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
    );
  plausible.push(fc.constantFrom('430723', '430723100', '430723100201', '111.7,29.5,111.9,29.7', 'red', 'open'));
  return fc.oneof(junk, ...plausible);
}

/** A JSON body: plausible fields, junk, and prototype-pollution keys written literally into the text. */
const bodyText = fc
  .tuple(
    fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
    fc.dictionary(
      fc.constantFrom(
        'name',
        'kind',
        'category',
        'riskLevel',
        'status',
        'lon',
        'lat',
        'villageCode',
        'to',
        'version',
        'note',
        'reason',
      ),
      fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom(111.75, 29.6, 'red', '430723100201', 1)),
      { maxKeys: 8 },
    ),
    fc.boolean(),
  )
  .map(([junk, fields, pollute]) => {
    const text = JSON.stringify({ ...junk, ...fields });
    if (!pollute) return text;
    const evil = '"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}';
    return text === '{}' ? `{${evil}}` : `{${evil},${text.slice(1)}`;
  });

const request = (op: Operation) =>
  fc.record({
    path: fc.tuple(...op.params.filter((p) => p.in === 'path').map((p) => valueFor(p.schema)), fc.constant('')),
    query: fc.tuple(
      fc
        .subarray(op.params.filter((p) => p.in === 'query'))
        .chain((ps) =>
          fc.tuple(
            ...ps.map((p) => valueFor(p.schema).map((v) => [p.name, v] as const)),
            fc.constant(['', ''] as const),
          ),
        ),
      fc.option(fc.constantFrom('__proto__', 'constructor', 'zzz', 'prototype'), { nil: undefined }),
    ),
    body:
      op.body || op.method !== 'GET'
        ? fc.oneof(bodyText, fc.constantFrom('', '{', 'null', '[]', '"x"', '{"a":'))
        : fc.constant(''),
  });

function url(op: Operation, path: string[], query: readonly (readonly [string, string])[], extra?: string) {
  let i = 0;
  const p = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(path[i++] ?? 'x'));
  const qs = new URLSearchParams();
  for (const [k, v] of query) if (k) qs.append(k, v);
  if (extra) qs.append(extra, '1');
  const s = qs.toString();
  return s ? `${p}?${s}` : p;
}

describe.each(backends)('fuzzing on %s', (backend) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestApp(backend);
  });
  afterAll(async () => ctx?.close());

  const expectClientAnswer = (res: { statusCode: number; body: string }, what: string) => {
    expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
    if (res.statusCode >= 400) {
      const body = JSON.parse(res.body) as { message?: unknown };
      expect(typeof body.message === 'string' && body.message.length > 0, `${what}: no message`).toBe(true);
    }
  };

  /** A stream's answer as a real client gets it: the status and, for a refusal, its body; a 200 is hung up on. */
  let origin = '';
  const streamAnswer = async (u: string) => {
    if (!origin) {
      await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      const address = ctx.app.server.address();
      origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    }
    const hangUp = new AbortController();
    const res = await fetch(`${origin}${u}`, {
      headers: { cookie: await ctx.cookieFor('admin') },
      signal: hangUp.signal,
    });
    if (res.status === 200) {
      hangUp.abort();
      return { statusCode: 200, body: '' };
    }
    return { statusCode: res.status, body: await res.text() };
  };

  it('given random parameters and JSON bodies on every documented route, answers below 500, says why when it refuses, and leaves Object.prototype alone', async () => {
    const ops = operations(ctx.app);
    expect(ops.length).toBeGreaterThan(40);
    expect(ops.filter((op) => op.stream).map((op) => op.path)).toEqual([...STREAMS]);
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(request(op), async (r) => {
          const u = url(op, r.path, r.query[0], r.query[1]);
          const res = op.stream
            ? await streamAnswer(u)
            : await ctx.app.inject({
                method: op.method as 'GET',
                url: u,
                ...(r.body ? { payload: r.body, headers: { 'content-type': 'application/json' } } : {}),
              });
          expectClientAnswer(res, `${op.method} ${u} ${r.body.slice(0, 200)}`);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        { numRuns: runs, seed, endOnFailure: true },
      );
    }
  }, 600_000);

  const upload = (name: string, content: Buffer) => {
    const boundary = `----fuzz${randomUUID()}`;
    return ctx.app.inject({
      method: 'POST',
      url: '/api/uploads',
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        content,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
  };

  const cell = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom(
      '111.75',
      '29.62',
      '2023-05-17',
      '是',
      '否',
      '红',
      '邻里纠纷',
      '430723100201',
      '"',
      '\\N',
      '=cmd|1',
      'a\u0000b',
      '\ud800',
    ),
  );
  const header = fc.subarray([
    '经度',
    '纬度',
    '村代码',
    '排查日期',
    '排查人',
    '零报告',
    '隐患类别',
    '风险等级',
    '情况说明',
    '编号',
    'x',
    '__proto__',
    '备\u0000注',
  ]);

  it(
    'given random CSV, XLSX-named and GeoJSON files, answers every upload below 500 with a message or a per-row report',
    async () => {
      const csv = fc
        .tuple(header, fc.array(fc.array(cell, { maxLength: 12 }), { maxLength: 8 }), fc.constantFrom(',', ';', '\t'))
        .map(([h, rows, sep]) =>
          [h, ...rows].map((r) => r.join(sep)).join(fc.sample(fc.constantFrom('\n', '\r\n'), 1)[0]),
        );
      const geojson = fc.oneof(
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
        fc
          .array(
            fc.record({
              type: fc.constantFrom('Feature', 'Point', 'x'),
              geometry: fc.oneof(
                fc.constant(null),
                fc.record({
                  type: fc.constantFrom('Point', 'Polygon', 'LineString', 'GeometryCollection'),
                  coordinates: fc.jsonValue({ maxDepth: 3 }),
                }),
              ),
              properties: fc.dictionary(
                fc.constantFrom('排查日期', '排查人', '零报告', '__proto__', 'constructor'),
                cell,
              ),
            }),
            { maxLength: 5 },
          )
          .map((features) => JSON.stringify({ type: 'FeatureCollection', features })),
      );
      const file = fc.oneof(
        csv.map((t) => ['f.csv', Buffer.from(t)] as const),
        geojson.map((t) => ['f.geojson', Buffer.from(t)] as const),
        fc.uint8Array({ maxLength: 2000 }).map((b) => ['f.xlsx', Buffer.from(b)] as const),
        // A zip header with junk after it: exercises the XLSX container checks, not just "not a zip".
        fc
          .uint8Array({ maxLength: 500 })
          .map((b) => ['f.xlsx', Buffer.concat([Buffer.from('PK\u0003\u0004'), b])] as const),
        fc.uint8Array({ maxLength: 500 }).map((b) => ['f.csv', Buffer.from(b)] as const),
      );
      await fc.assert(
        fc.asyncProperty(file, async ([name, content]) => {
          const res = await upload(name, content);
          expectClientAnswer(res, `upload ${name} ${content.toString('utf8').slice(0, 300)}`);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        { numRuns: runs * 20, seed, endOnFailure: true },
      );
    },
    filesTimeout,
  );
});
