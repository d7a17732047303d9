import { Worker } from 'node:worker_threads';
import { TableError } from './csv.js';
import type { ParsedGeoJson } from './geojson.js';
import type { ParseJob, ParseJobResult } from './parse-job.js';

const workerUrl = new URL('./parse-worker.mjs', import.meta.url);

/**
 * Runs a parse job on its own worker thread and resolves with its result (a TableError rejects as one). The
 * input is copied to the worker; the event loop stays free while it parses.
 */
export function parseOffThread(job: Extract<ParseJob, { kind: 'geojson' }>): Promise<ParsedGeoJson>;
export function parseOffThread(job: Extract<ParseJob, { kind: 'xlsx' }>): Promise<unknown[][]>;
export function parseOffThread(job: ParseJob): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, { workerData: job });
    let settled = false;
    worker.once('message', (r: ParseJobResult) => {
      settled = true;
      void worker.terminate();
      if (r.ok) resolve(r.value);
      else reject(r.table ? new TableError(r.message, r.row) : new Error(r.message));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the parse worker exited with ${code} before answering`));
    });
  });
}
