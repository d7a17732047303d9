import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchContext, type BenchModule, type BenchTable, fmt, root } from './harness.js';

/**
 * The `tests/reliability` suite at full size (CI runs it small): load on tiles, summary and case lists, overload
 * → 503 + Retry-After, PostGIS restarted under writes, SIGKILL during a bulk upload, fuzzing, graceful shutdown —
 * against the PostGIS server of the bench (the suite makes its own `reliability` database there). The sizes are
 * the suite's own knobs (RELIABILITY_*); the load test writes its figures to RELIABILITY_REPORT.
 */
const FULL = { loadSeconds: 60, connections: 16, uploadRows: 200_000, fuzzRuns: 25 };
const QUICK = { loadSeconds: 10, connections: 8, uploadRows: 30_000, fuzzRuns: 5 };

interface VitestJson {
  testResults: {
    name: string;
    assertionResults: { title: string; status: string; duration?: number; failureMessages?: string[] }[];
  }[];
}

export interface LoadFigures {
  backend: string;
  seconds: number;
  connections: number;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

function vitest(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const reliabilityBench: BenchModule = {
  name: 'reliability',
  description: 'the tests/reliability suite at full size on the PostGIS server (load, overload, faults, fuzzing)',
  async run(ctx: BenchContext) {
    const size = ctx.quick ? QUICK : FULL;
    const dir = await mkdtemp(join(tmpdir(), 'bench-reliability-'));
    try {
      const results = join(dir, 'results.json');
      const report = join(dir, 'load.jsonl');
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        TEST_DATABASE_URL: ctx.databaseUrl,
        TEST_BACKEND: 'server',
        RELIABILITY_LOAD_SECONDS: String(size.loadSeconds),
        RELIABILITY_LOAD_CONNECTIONS: String(size.connections),
        RELIABILITY_UPLOAD_ROWS: String(size.uploadRows),
        RELIABILITY_FUZZ_RUNS: String(size.fuzzRuns),
        RELIABILITY_REPORT: report,
      };
      ctx.log(
        `reliability suite: load ${size.loadSeconds} s × ${size.connections} clients, SIGKILL during a ` +
          `${fmt(size.uploadRows)}-row upload, ${size.fuzzRuns} fuzz runs per property`,
      );
      const t0 = performance.now();
      const code = await vitest(
        ['run', '--project', 'reliability', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`],
        env,
      );
      const seconds = (performance.now() - t0) / 1000;
      const json = JSON.parse(await readFile(results, 'utf8')) as VitestJson;
      const tests = json.testResults.flatMap((f) =>
        f.assertionResults.map((a) => ({
          file: f.name.replace(`${root}`, ''),
          title: a.title,
          status: a.status,
          seconds: (a.duration ?? 0) / 1000,
        })),
      );
      const load = (await readFile(report, 'utf8').catch(() => ''))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LoadFigures);
      const failed = tests.filter((t) => t.status !== 'passed');
      const tables: BenchTable[] = [
        {
          title: `Reliability suite at ${ctx.quick ? 'quick' : 'full'} size on the PostGIS server (${fmt(seconds, 0)} s)`,
          columns: ['test', 'result', 's'],
          rows: tests.map((t) => [
            t.title.length > 90 ? `${t.title.slice(0, 89)}…` : t.title,
            t.status,
            fmt(t.seconds, 1),
          ]),
          notes: [
            failed.length === 0 && code === 0
              ? `all ${tests.length} passed`
              : `FAILED: ${failed.length} of ${tests.length} (vitest exit ${code})`,
          ],
        },
        {
          title: 'Load: concurrent clients on tiles, the KPI summary and case lists',
          columns: ['backend', 'clients', 's', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'non-2xx'],
          rows: load.map((l) => [
            l.backend,
            l.connections,
            l.seconds,
            fmt(l.requests),
            fmt(l.requests / l.seconds),
            l.p50,
            l.p99,
            l.max,
            l.errors + l.timeouts,
            l.non2xx,
          ]),
          notes: ['target: zero errors (p99 reported)'],
        },
      ];
      if (failed.length > 0 || code !== 0) throw Object.assign(new Error('reliability suite failed'), { tables });
      return { tables, data: { size, seconds, tests, load } };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default reliabilityBench;
