import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

/** What the prepared database is made by: the migrations and seed, and the code the snapshot is opened with. */
export const SEED_ENTRIES = ['server/bootstrap.ts', 'server/db/embedded.ts', 'server/db/postgres.ts'];
/** Relative imports (static, dynamic, re-exports) and files a module opens beside itself (`new URL('./…')`). */
const LOCAL_REFERENCE = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/**
 * Every repository file the seed's code imports, followed from SEED_ENTRIES through relative imports (a `.js`
 * specifier names its `.ts` source); a folder named by `new URL` (fonts, migrations) is left to the list below.
 */
export async function seedImportGraph(): Promise<string[]> {
  const seen = new Set<string>();
  const queue = [...SEED_ENTRIES];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(join(root, file), 'utf8');
    for (const m of text.matchAll(LOCAL_REFERENCE)) {
      const target = relative(root, join(root, dirname(file), m[1] as string));
      const candidates = [target, target.replace(/\.js$/, '.ts')];
      const found = candidates.find(
        (c) => !c.includes('*') && existsSync(join(root, c)) && statSync(join(root, c)).isFile(),
      );
      if (found && !seen.has(found)) queue.push(found);
    }
  }
  return [...seen];
}

/**
 * A hash of everything that shapes the prepared database, so a stale snapshot is never reused: the migrations, the
 * demo county's source data, and every file of the seed's import graph (a change anywhere else keeps the snapshot).
 */
export async function fingerprint(): Promise<string> {
  const files = [
    ...new Set([
      ...(await filesUnder('migrations')),
      ...(await filesUnder('data/lixian')),
      ...(await seedImportGraph()),
    ]),
  ].sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(await readFile(join(root, f)));
  return hash.digest('hex').slice(0, 16);
}
