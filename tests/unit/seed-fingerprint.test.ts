import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { SEED_ENTRIES, seedImportGraph } from '../integration/fingerprint.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the seeded snapshot fingerprint', () => {
  it('hashes every repository source the TypeScript compiler reaches from the seed', async () => {
    const program = ts.createProgram(
      SEED_ENTRIES.map((f) => `${root}${f}`),
      {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        allowJs: false,
        noEmit: true,
      },
    );
    const compiled = program
      .getSourceFiles()
      .map((s) => relative(root, s.fileName))
      .filter((f) => !f.startsWith('node_modules/') && !f.startsWith('..'));
    const graph = new Set(await seedImportGraph());
    expect(compiled.length).toBeGreaterThan(50);
    expect(compiled.filter((f) => !graph.has(f))).toEqual([]);
  });
});
