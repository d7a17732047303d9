import { readProgress, writeProgress } from '../../db/queries/uploads.js';
import type { Db } from '../../db/types.js';
import type { Progress } from './types.js';

/**
 * Upload progress by Idempotency-Key: kept in memory by the instance doing the work and written through to
 * `upload_progress` (migration 150) so that another instance can answer the poll. Writes are fire-and-forget,
 * at most one every `WRITE_EVERY_MS` per upload plus every change of stage (the last one, `done`, always), and
 * never inside the upload's transaction (`db.detached`). On the embedded database (one connection, held by the upload's
 * transaction) they wait their turn, which is harmless: it is one process, and memory answers first.
 */
const WRITE_EVERY_MS = 500;
const KEEP_MS = 60_000;

export class ProgressStore {
  private readonly memory = new Map<string, Progress & { at: number }>();
  private readonly written = new Map<string, { at: number; stage: Progress['stage'] }>();

  constructor(
    private readonly db: Db,
    private readonly onError: (err: unknown) => void,
  ) {}

  set(key: string, p: Progress): void {
    const now = Date.now();
    this.memory.set(key, { ...p, at: now });
    const last = this.written.get(key);
    if (last && last.stage === p.stage && now - last.at < WRITE_EVERY_MS) return;
    this.written.set(key, { at: now, stage: p.stage });
    const w = writeProgress(key, p.stage, p.done, p.total);
    this.db.detached.query(w.text, w.values).catch(this.onError);
  }

  /** Forgets the upload in memory a minute after it ended (the database row ages out). */
  finish(key: string): void {
    setTimeout(() => {
      this.memory.delete(key);
      this.written.delete(key);
    }, KEEP_MS).unref();
  }

  async get(key: string): Promise<Progress | null> {
    const hit = this.memory.get(key);
    if (hit) return { stage: hit.stage, done: hit.done, total: hit.total };
    const q = readProgress(key);
    const { rows } = await this.db.query<Progress>(q.text, q.values);
    return rows[0] ?? null;
  }
}
