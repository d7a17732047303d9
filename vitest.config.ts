import { defineConfig } from 'vitest/config';

// Three tiers, as maplibre-gl-js does: unit (pure, no database, no network), integration (the app against a
// real database: embedded PGlite always, a PostGIS server when TEST_DATABASE_URL is set), e2e (real Chromium).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          sequence: { groupOrder: 0 },
          environment: 'node',
          // Generating and checking the demo county (demo-dataset) takes seconds, more on a loaded machine.
          hookTimeout: 60_000,
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // Tiers run one after another (unit → integration → e2e), each with its own parallelism.
          sequence: { groupOrder: 1 },
          environment: 'node',
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Each file loads its own in-memory copy of the prepared database (~1 GB): two at a time fit.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          sequence: { groupOrder: 2 },
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // Load and faults against the app as a real process: one file at a time (each starts servers).
          name: 'reliability',
          include: ['tests/reliability/**/*.test.ts'],
          sequence: { groupOrder: 3 },
          environment: 'node',
          globalSetup: ['tests/reliability/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
