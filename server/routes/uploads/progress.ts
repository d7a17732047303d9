import type { Db } from '../../db/types.js';
import type { Progress } from './pipeline.js';

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
    this.db.detached
      .query(
        `WITH gone AS (DELETE FROM upload_progress WHERE updated_at < now() - interval '1 hour')
         INSERT INTO upload_progress (key, stage, done, total, updated_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (key) DO UPDATE SET stage = $2, done = $3, total = $4, updated_at = now()`,
        [key, p.stage, p.done, p.total],
      )
      .catch(this.onError);
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
    const { rows } = await this.db.query<Progress>(
      `SELECT stage, done, total FROM upload_progress WHERE key = $1 AND updated_at > now() - interval '1 hour'`,
      [key],
    );
    return rows[0] ?? null;
  }
}
