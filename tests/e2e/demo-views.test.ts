import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import zhCN from '../../web/src/i18n/zh-CN';
import { closeBrowser, type DashboardSession, openDashboard, screenshotPage } from './driver.js';

const baseUrl = inject('e2eBaseUrl');
const skipReason = inject('e2eSkipReason');
const artifacts = resolve(import.meta.dirname, '../artifacts');

/** Every empty-state text of the dictionary: the strings under keys named `empty`, `none` or `…Empty`. */
function emptyTexts(node: unknown, key = ''): string[] {
  if (typeof node === 'string') return /^(empty|none)$|Empty$/.test(key) ? [node] : [];
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => emptyTexts(v, k));
}
const EMPTY = emptyTexts(zhCN);

/**
 * Every tab a leader and a town officer can open on the demo shows data. A view is empty when its panel (what
 * follows the tab list) has no row of a list or table and no chart, or shows an empty-state text of the
 * dictionary. The tabs walked are the ones the page offers the role.
 */
describe.skipIf(skipReason !== '')('every view is populated on the demo', () => {
  let session: DashboardSession | undefined;
  afterAll(async () => {
    await session?.close();
    await closeBrowser();
  });

  it.each(['leader', 'town.wjc'])(
    'as %s',
    async (who) => {
      mkdirSync(artifacts, { recursive: true });
      session = await openDashboard(baseUrl, '/', { width: 1440, height: 900 }, who);
      const { page } = session;
      const tabs = page.locator('[role="tablist"] [role="tab"]');
      await tabs.first().waitFor({ timeout: 60_000 });
      const ids = await tabs.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
      expect(ids.length).toBeGreaterThan(3);
      const empty: string[] = [];
      for (const id of ids) {
        await page.getByTestId(id).click();
        const panel = page.locator('aside.side > .view-tabs ~ *');
        const rows = panel.locator('tbody tr, li, .row-button, canvas');
        // Loaded: a row appears, or an empty-state text does; skeletons alone mean still loading.
        let found = 0;
        let shown = '';
        for (let i = 0; i < 120; i++) {
          found = await rows.count();
          shown = (await panel.allInnerTexts()).join('\n');
          if (found > 0 && (await panel.locator('.skeleton').count()) === 0) break;
          if (EMPTY.some((e) => shown.includes(e))) break;
          await page.waitForTimeout(500);
        }
        await page.waitForTimeout(1500);
        shown = (await panel.allInnerTexts()).join('\n');
        const emptyText = EMPTY.filter((e) => shown.includes(e));
        await screenshotPage(page, resolve(artifacts, `demo-views-${who}-${id.replace('view-tab-', '')}.png`));
        if (found === 0 || emptyText.length > 0) empty.push(`${id}: ${found} rows; ${emptyText.join(' / ')}`);
      }
      expect(empty, `empty views for ${who}`).toEqual([]);
      await session.close();
      session = undefined;
    },
    600_000,
  );
});
