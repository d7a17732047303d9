import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The house's rooms (server/README.md): SQL only in server/db, nothing below imports from above, and the API
 * contract importable by the browser. Read as text, so a new file breaking a rule fails here the day it is added.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const server = join(root, 'server');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}
const files = sources(server);
const text = (f: string) => readFileSync(join(root, f), 'utf8');

/** Relative imports of a file, resolved to repository paths (`server/routes/cases/index.ts` → its imports). */
function imports(f: string): string[] {
  const out: string[] = [];
  for (const m of text(f).matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+'([^']+)'/g)) {
    const spec = m[1] as string;
    out.push(spec.startsWith('.') ? relative(root, join(root, f, '..', spec)) : spec);
  }
  return out;
}

/** A statement's first words right after a quote: how SQL text starts in this code base. */
const SQL =
  /[`'"]\s*(SELECT|INSERT\s+INTO|UPDATE\s+\w+|DELETE\s+FROM|WITH\s+\w+\s+AS|LOCK\s+TABLE|CREATE\s|DROP\s|ALTER\s|SAVEPOINT|RELEASE\s+SAVEPOINT|ROLLBACK|BEGIN|COMMIT|TRUNCATE|COPY\s|SET\s+(LOCAL|SESSION)|SHOW\s)\b/g;

/**
 * The only files outside server/db that write SQL, with how many statements: the benchmarks. They are the
 * measuring instrument, not the application: they create and fill their own databases (CREATE DATABASE, TRUNCATE,
 * the bulk COPY of bench:data), time psql's own COPY as the baseline the API is measured against, and count rows to
 * check the scale they measure at. A builder in db/queries would put that tooling beside the app's statements and
 * hide the baseline from the bench that reports it, so they keep it here, pinned: a new statement fails, and so does
 * one that leaves (lower the number). Every file of the application has none (issue 20: 70 statements in 15 files
 * at 934929f, then the 5 of services/tasks/demo.ts, moved to db/queries/demo-tasks.ts).
 */
const benchInstruments: Record<string, number> = {
  'server/bench/data.ts': 6,
  'server/bench/ingest.ts': 5,
  'server/bench/embedded.ts': 4,
  'server/bench/scale.ts': 3,
  'server/bench/export.ts': 3,
  'server/bench/tiles.ts': 3,
  // 3: with the read replicas' lag measured by WAL positions (pg_current_wal_insert_lsn / pg_last_wal_replay_lsn).
  'server/bench/load-tiles.ts': 3,
  'server/bench/synthetic.ts': 1,
  'server/bench/harness.ts': 1,
  'server/bench/hotspots.ts': 1,
};

describe('the layers of the server', () => {
  it('writes SQL only in server/db (and the benchmarks, their measuring instrument)', () => {
    const found: Record<string, number> = {};
    for (const f of files.filter((f) => !f.startsWith('server/db/'))) {
      const n = [...text(f).matchAll(SQL)].length;
      if (n > 0) found[f] = n;
    }
    for (const [f, n] of Object.entries(found)) {
      expect(n, `${f}: SQL belongs in a server/db/queries builder`).toBeLessThanOrEqual(benchInstruments[f] ?? 0);
    }
    for (const f of Object.keys(benchInstruments)) {
      expect(found[f] ?? 0, `${f} has less SQL now: lower or drop its entry`).toBe(benchInstruments[f]);
    }
  });

  it('never imports upwards: db and domain know no services, routes or plugins; services no routes or plugins', () => {
    const upward: string[] = [];
    for (const f of files) {
      const layer = f.split('/')[1];
      const banned =
        layer === 'db' || layer === 'domain' || layer === 'contract'
          ? ['server/services/', 'server/routes/', 'server/plugins/']
          : layer === 'services'
            ? ['server/routes/', 'server/plugins/']
            : [];
      for (const i of imports(f)) if (banned.some((b) => i.startsWith(b))) upward.push(`${f} → ${i}`);
    }
    expect(upward).toEqual([]);
  });

  it('keeps the API contract free of Node: it imports only typebox and its own files', () => {
    const outside: string[] = [];
    for (const f of files.filter((f) => f.startsWith('server/contract/'))) {
      for (const i of imports(f)) if (i !== 'typebox' && !i.startsWith('server/contract/')) outside.push(`${f} → ${i}`);
    }
    expect(outside).toEqual([]);
  });
});

/**
 * A function in server/services reads in one sitting: at most 60 lines from its first line to its last (its doc
 * comment not counted), whatever its kind (declaration, method, arrow, function expression; an inner function
 * counts on its own and as part of its parent). Measured on the syntax tree with the TypeScript compiler.
 */
const MAX_FUNCTION_LINES = 60;

/** Every function of a file as "file:line name", with its length in lines. */
function functionLengths(f: string): { at: string; lines: number }[] {
  const src = ts.createSourceFile(f, text(f), ts.ScriptTarget.Latest, true);
  const out: { at: string; lines: number }[] = [];
  const line = (pos: number) => src.getLineAndCharacterOfPosition(pos).line;
  const visit = (n: ts.Node) => {
    if (
      ts.isFunctionDeclaration(n) ||
      ts.isMethodDeclaration(n) ||
      ts.isArrowFunction(n) ||
      ts.isFunctionExpression(n)
    ) {
      const start = line(n.getStart(src));
      // An anonymous function takes the name of what holds it (`const x = () => …`, `{ x: () => … }`).
      const named = n.name ?? (n.parent as { name?: ts.Node }).name;
      out.push({
        at: `${f}:${start + 1} ${named ? named.getText(src) : '(anonymous)'}`,
        lines: line(n.getEnd()) - start + 1,
      });
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

describe('the size of the services', () => {
  it(`keeps every function in server/services within ${MAX_FUNCTION_LINES} lines`, () => {
    const all = files.filter((f) => f.startsWith('server/services/')).flatMap(functionLengths);
    expect(all.length, 'the services have functions to measure').toBeGreaterThan(100);
    const long = all.filter((x) => x.lines > MAX_FUNCTION_LINES).map((x) => `${x.at}: ${x.lines} lines`);
    expect(long, 'split these into named helpers').toEqual([]);
  });
});
