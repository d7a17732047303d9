// A worker thread for parse-job.ts. Plain JavaScript, so that it starts the same way under `tsx`, `node --import
// tsx` and vitest: it registers tsx's loader itself, then imports the TypeScript job. One job per worker.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runParseJob } = await import('./parse-job.ts');
parentPort?.postMessage(await runParseJob(workerData));
