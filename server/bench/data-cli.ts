import { parseArgs } from 'node:util';
import { loadBenchData } from './data.js';

/**
 * `npm run bench:data -- --disputes N [--screenings M] [--counties K]` into BENCH_DATABASE_URL (or DATABASE_URL):
 * migrates, loads the demo county, adds K − 1 synthetic counties, then REPLACES all disputes and screenings with
 * N and M synthetic ones (COPY). Throwaway bench databases only.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      disputes: { type: 'string' },
      screenings: { type: 'string', default: '0' },
      counties: { type: 'string', default: '20' },
    },
  });
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  const count = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number ≥ 0, got ${v}`);
    return n;
  };
  if (!url) throw new Error('set BENCH_DATABASE_URL (or DATABASE_URL) to a throwaway PostGIS database');
  if (values.disputes === undefined) throw new Error('--disputes N is required');
  const counties = count('counties', values.counties);
  if (counties < 1 || counties > 999) throw new Error(`--counties must be 1…999, got ${counties}`);
  const t0 = performance.now();
  const r = await loadBenchData(url, {
    disputes: count('disputes', values.disputes),
    screenings: count('screenings', values.screenings),
    counties,
    log: (m) => console.log(`[bench:data] ${m}`),
  });
  console.log(
    `[bench:data] done in ${((performance.now() - t0) / 1000).toFixed(1)} s: disputes ${Math.round(r.disputes.rowsPerSecond)} rows/s` +
      (r.screenings.rows > 0 ? `, screenings ${Math.round(r.screenings.rowsPerSecond)} rows/s` : ''),
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
