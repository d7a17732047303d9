import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import briefingsBench from './briefings.js';
import browserBench from './browser.js';
import embeddedBench from './embedded.js';
import exportBench from './export.js';
import { type BenchModule, printTable, root, startPostgis } from './harness.js';
import hotspotsBench from './hotspots.js';
import ingestBench from './ingest.js';
import loadTilesBench from './load-tiles.js';
import reliabilityBench from './reliability.js';
import sseBench from './sse.js';
import summaryBench from './summary.js';
import tilesBench from './tiles.js';
import warningsBench from './warnings.js';

/**
 * `npm run bench [-- --quick] [-- --only export]`: runs every benchmark module against a PostGIS server and
 * prints their tables; the figures go to bench-results/<time>.json. A benchmark, not a test: it asserts nothing.
 * BENCH_DATABASE_URL names a database to use (it is migrated, seeded and grown: never point it at data you keep);
 * unset, a throwaway server is started with .ci/postgis.sh and stopped at the end.
 */
const modules: BenchModule[] = [
  exportBench,
  tilesBench,
  hotspotsBench,
  ingestBench,
  summaryBench,
  loadTilesBench,
  embeddedBench,
  browserBench,
  reliabilityBench,
  briefingsBench,
  sseBench,
  warningsBench,
];

async function main() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      // The notifications module's sizes and backends (see server/bench/sse.ts).
      clients: { type: 'string' },
      writes: { type: 'string' },
      backend: { type: 'string', multiple: true },
    },
  });
  const selected = values.only ? modules.filter((m) => values.only?.includes(m.name)) : modules;
  if (selected.length === 0) throw new Error(`no such module; modules: ${modules.map((m) => m.name).join(', ')}`);
  const log = (m: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);

  let url = process.env.BENCH_DATABASE_URL;
  let server: Awaited<ReturnType<typeof startPostgis>> | undefined;
  const stop = async () => {
    const s = server;
    server = undefined;
    if (s) {
      log('stopping the throwaway PostGIS server');
      await s.stop();
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop().finally(() => process.exit(130)));
  }
  // A streaming replica for the modules that compare reads from one (load-tiles): the throwaway server's own, or
  // BENCH_DATABASE_READ_URL's server (a replica of BENCH_DATABASE_URL's).
  const replicaOf = async (dbUrl: string): Promise<string | null> => {
    const base = server ? await server.replica() : process.env.BENCH_DATABASE_READ_URL;
    if (!base) return null;
    const u = new URL(base);
    u.pathname = new URL(dbUrl).pathname;
    return u.toString();
  };
  const t0 = performance.now();
  const results: Record<string, unknown> = {};
  const printed: string[] = [];
  const failed: string[] = [];
  try {
    if (!url) {
      server = await startPostgis(log);
      url = server.url;
    }
    for (const m of selected) {
      log(`=== ${m.name}: ${m.description}${values.quick ? ' (quick)' : ''}`);
      // A module that fails is reported and the others still run (their figures are not lost).
      try {
        const options = { clients: values.clients, writes: values.writes, backend: values.backend };
        const r = await m.run({ databaseUrl: url, quick: values.quick ?? false, options, log, replica: replicaOf });
        results[m.name] = r.data;
        printed.push(...r.tables.map(printTable));
      } catch (err) {
        failed.push(m.name);
        results[m.name] = { error: String(err) };
        // A module may attach the tables it had when it failed (the reliability suite: which test failed).
        const partial = (err as { tables?: Parameters<typeof printTable>[0][] }).tables ?? [];
        printed.push(...partial.map(printTable));
        printed.push(`\n${m.name}: FAILED: ${err instanceof Error ? err.message : String(err)}`);
        console.error(err);
      }
    }
  } finally {
    await stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  const dir = join(root, 'bench-results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const meta = {
    quick: values.quick,
    clients: values.clients,
    writes: values.writes,
    seconds,
    node: process.version,
    when: new Date().toISOString(),
  };
  await writeFile(file, `${JSON.stringify({ meta, results }, null, 2)}\n`);
  console.log(printed.join('\n'));
  console.log(`\n${selected.length} module(s) in ${seconds.toFixed(0)} s; figures in ${file}`);
  if (failed.length > 0) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
