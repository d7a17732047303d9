import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords.js';
import { backends, openWritableApp, type TestContext } from './harness.js';

/**
 * The commands of README.md and docs/*.md work as pasted: every line of their shell blocks runs, in
 * order, in one shell against the app listening on a free port (8080 in the text is replaced by it), and each
 * must answer below 400 (curl --fail-with-body). The shell starts in a fresh folder holding what the first
 * `npm start` leaves in ./.data (demo-accounts.json, here with the admin password this test sets). Lines that
 * need what a test cannot have (npm itself, GDAL) are listed, not run.
 */
const root = resolve(import.meta.dirname, '../..');
const notRun = /^(npm |ogrinfo |ogr2ogr |GDAL_HTTP_HEADERS=)/;

function shellCommands(): { file: string; command: string }[] {
  const docs = existsSync(join(root, 'docs'))
    ? readdirSync(join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`)
    : [];
  const out: { file: string; command: string }[] = [];
  for (const file of ['README.md', ...docs]) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
      const joined = (m[1] as string).replace(/\\\n\s*/g, '');
      for (const line of joined.split('\n')) {
        const command = line.trim();
        if (command && !command.startsWith('#')) out.push({ file, command });
      }
    }
  }
  return out;
}

describe.each(backends)('README commands on %s', (backend) => {
  let ctx: TestContext;
  let base: string;
  const password = `readme-${Math.random().toString(36).slice(2)}-Aa1`;
  beforeAll(async () => {
    ctx = await openWritableApp(backend);
    await ctx.db.query('UPDATE accounts SET password_hash = $1 WHERE username = $2', [
      await hashPassword(password),
      'admin',
    ]);
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const address = ctx.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => ctx?.close());

  it('runs the shell blocks line by line and gets answers below 400', async () => {
    const commands = shellCommands();
    const run = commands.filter((c) => !notRun.test(c.command));
    expect(run.length).toBeGreaterThan(10);
    const dir = mkdtempSync(join(tmpdir(), 'readme-'));
    mkdirSync(join(dir, '.data'));
    writeFileSync(join(dir, '.data/demo-accounts.json'), JSON.stringify([{ username: 'admin', password }]));
    try {
      const script = [
        'set -e',
        // Every curl of the text fails on an HTTP error, and says so.
        'curl() { command curl -sS --fail-with-body "$@"; echo; }',
        ...run.map((c) => c.command.replaceAll('http://localhost:8080', base).replaceAll('localhost:8080', base)),
      ].join('\n');
      // Not spawnSync: the app answering the commands runs on this process's event loop.
      const res = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
        const child = spawn('bash', ['-c', script], { cwd: dir, timeout: 300_000 });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => {
          stdout += String(d);
        });
        child.stderr.on('data', (d) => {
          stderr += String(d);
        });
        child.on('close', (status) => done({ status, stdout, stderr }));
      });
      const skipped = commands.filter((c) => notRun.test(c.command)).map((c) => `${c.file}: ${c.command}`);
      console.log(
        `[readme] ${run.length} commands run, ${skipped.length} not run (need npm or GDAL):\n  ${skipped.join('\n  ')}`,
      );
      expect(res.status, `${res.stderr}\n${res.stdout.slice(-2000)}`).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
