import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/migrate.js';
import { backends, openTestApp, type TestContext } from './harness.js';

describe.each(backends)('migrations on the %s database', (backend) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await openTestApp(backend);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('runs nothing on an up-to-date database', async () => {
    const result = await migrate(ctx.db);
    expect(result.applied).toEqual([]);
    expect(result.from).toBe(result.to);
  });

  // Only the embedded copy is this file's own (the server database is shared by files running at the same time).
  if (backend === 'embedded') {
    it('refuses a database that skipped a migration numbered below its version', async () => {
      await ctx.db.query(`DELETE FROM schema_version WHERE version = 70`);
      await expect(migrate(ctx.db)).rejects.toThrow(/never ran 070\.do\.[a-z-]+\.sql/);
    });
  }
});
