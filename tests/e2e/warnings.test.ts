import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WarningCollection, WarningList } from '../../web/src/api/warnings';
import {
  apiFetch,
  closeBrowser,
  currentUrl,
  type DashboardSession,
  openDashboard,
  screenshotPage,
  waitForMapIdle,
  waitForOverlayCount,
} from './driver.js';

const baseUrl = inject('e2eBaseUrl');
const skipReason = inject('e2eSkipReason');
const artifacts = resolve(import.meta.dirname, '../artifacts');
const TOWN = '430723108';

async function api<T>(path: string, as = 'admin'): Promise<T> {
  const response = await apiFetch(new URL(path, baseUrl), {}, as);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

describe.skipIf(skipReason !== '')('early warnings on the overview and the map', () => {
  let session: DashboardSession | undefined;

  beforeAll(() => mkdirSync(artifacts, { recursive: true }));
  afterAll(async () => {
    await session?.close();
    await closeBrowser();
  });

  it("given the county administrator, the overview lists the demo's open warnings and the map draws each one", async () => {
    session = await openDashboard(baseUrl, '/?testHooks=1');
    const { page } = session;
    const open = await api<WarningList>('/api/warnings?status=open,acknowledged&limit=50');
    const layer = await api<WarningCollection>('/api/warnings?status=open,acknowledged&format=geojson');
    expect(open.total).toBeGreaterThan(50);
    await page.getByTestId('warning-item').first().waitFor();
    expect(await page.getByTestId('warning-item').count()).toBe(open.items.length);
    expect(await page.getByTestId('warnings-total').textContent()).toContain(String(open.total));
    await waitForMapIdle(page);
    await waitForOverlayCount(page, 'warnings', layer.features.length);
    // Every rule's definition, in Chinese, with the threshold in force.
    await page.getByTestId('warning-rules').locator('summary').click();
    const rules = await page.getByTestId('warning-rules').locator('dd').allTextContents();
    expect(rules).toHaveLength(7);
    expect(rules.join('\n')).toContain('24 小时');
    await screenshotPage(page, resolve(artifacts, 'warnings-overview.png'));
    expect(session.consoleErrors).toEqual([]);
  });

  it('given a rule picked, the list and the layer show only that rule, kept in the URL', async () => {
    const { page } = session as DashboardSession;
    await page.locator('.warning-chip', { hasText: '排查逾期' }).click();
    const only = await api<WarningCollection>(
      '/api/warnings?status=open,acknowledged&rule=screening_overdue&format=geojson',
    );
    expect(only.features.length).toBeGreaterThan(0);
    await waitForOverlayCount(page, 'warnings', only.features.length);
    expect((await currentUrl(page)).searchParams.get('warningRule')).toBe('screening_overdue');
    const heads = page.locator('[data-testid="warning-item"] .warning-item__head strong');
    // The list keeps the previous page on screen until the narrowed one arrives.
    await expect
      .poll(async () => new Set(await heads.allTextContents()), { timeout: 15_000 })
      .toEqual(new Set(['排查逾期']));
    await screenshotPage(page, resolve(artifacts, 'warnings-rule.png'));
  });

  it("given the town officer, only their town's warnings are listed and drawn, and one can be acknowledged", async () => {
    await session?.close();
    session = await openDashboard(baseUrl, '/?testHooks=1', undefined, 'town.wjc');
    const { page } = session;
    const mine = await api<WarningList>('/api/warnings?status=open,acknowledged&limit=50', 'town.wjc');
    const layer = await api<WarningCollection>('/api/warnings?status=open,acknowledged&format=geojson', 'town.wjc');
    expect(mine.total).toBeGreaterThan(0);
    expect(new Set(mine.items.map((w) => w.townCode))).toEqual(new Set([TOWN]));
    await page.getByTestId('warning-item').first().waitFor();
    expect(await page.getByTestId('warning-item').count()).toBe(mine.items.length);
    await waitForMapIdle(page);
    await waitForOverlayCount(page, 'warnings', layer.features.length);
    const first = page.getByTestId('warning-item').first();
    await first.getByRole('button', { name: '确认知悉' }).click();
    await first.locator('.warning-status', { hasText: '已确认' }).waitFor();
    const after = await api<WarningList>('/api/warnings?status=acknowledged&limit=50', 'town.wjc');
    expect(after.items.some((w) => w.id === mine.items[0]?.id && w.updatedBy === 'town.wjc')).toBe(true);
    await screenshotPage(page, resolve(artifacts, 'warnings-town.png'));
    expect(session.consoleErrors).toEqual([]);
  });
});
