import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Coverage, Gaps } from '../../web/src/api/coverage';
import {
  apiFetch,
  clickTestId,
  closeBrowser,
  type DashboardSession,
  openDashboard,
  renderedPoints,
  screenshotPage,
  scrollSideTo,
  waitForMapIdle,
  waitForMapRendered,
  waitForOverlayCount,
} from './driver.js';

const baseUrl = inject('e2eBaseUrl');
const skipReason = inject('e2eSkipReason');
const artifacts = resolve(import.meta.dirname, '../artifacts');

async function api<T>(path: string): Promise<T> {
  const response = await apiFetch(new URL(path, baseUrl));
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

describe.skipIf(skipReason !== '')('station coverage and gaps', () => {
  let session: DashboardSession;
  const createdIds: number[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    session = await openDashboard(baseUrl, '/?testHooks=1');
  });

  afterAll(async () => {
    for (const id of createdIds) await apiFetch(new URL(`/api/stations/${id}`, baseUrl), { method: 'DELETE' });
    await session?.close();
    await closeBrowser();
  });

  it('given the demo county, when the coverage view opens, then rooms’ reach, uncovered villages and suggested sites show', async () => {
    const { page } = session;
    await waitForMapIdle(page);
    await clickTestId(page, 'view-tab-coverage');
    const coverage = await api<Coverage>('/api/coverage?distanceKm=5');
    const gaps = await api<Gaps>('/api/coverage/gaps?distanceKm=5&k=3&limit=8');
    const uncovered = coverage.totals.villages - coverage.totals.villagesCovered;
    expect(uncovered).toBeGreaterThan(0);
    await waitForOverlayCount(page, 'cov-villages', coverage.totals.villages);
    await waitForOverlayCount(page, 'cov-areas', coverage.totals.rooms + 1);
    await waitForOverlayCount(page, 'cov-sites', gaps.sites.features.length);
    await waitForMapRendered(page);
    // Uncovered villages are drawn (and only those), and the suggested sites carry their "+N" figures.
    const drawn = await renderedPoints(page, ['cov-uncovered-fill']);
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.every((f) => f.properties.covered === false)).toBe(true);
    const sites = await renderedPoints(page, ['cov-site-circles']);
    expect(sites.map((s) => s.properties.newlyCovered).sort()).toEqual(
      gaps.sites.features.map((f) => f.properties.newlyCovered).sort(),
    );
    const figures = await page.getByTestId('coverage-figures').textContent();
    expect(figures).toContain(`${coverage.totals.villagesCovered} / ${coverage.totals.villages}`);
    expect(figures).toContain(`${coverage.totals.townsWithRoom}/${coverage.totals.towns}`);
    const siteList = await page.getByTestId('coverage-sites').textContent();
    expect(siteList).toContain(`+${gaps.sites.features[0]?.properties.newlyCovered}`);
    expect(await page.getByTestId('coverage-towns-without').locator('li').count()).toBe(
      coverage.towns.filter((t) => t.room === null).length,
    );
    await scrollSideTo(page, 0);
    await screenshotPage(page, resolve(artifacts, 'coverage.png'));
  });

  it('given the slider, when the reach goes to 10 km, then the figures and the map follow the API', async () => {
    const { page } = session;
    const slider = page.getByTestId('coverage-slider');
    await slider.focus();
    for (let i = 0; i < 5; i++) await slider.press('ArrowRight');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('reach') === '10');
    const coverage = await api<Coverage>('/api/coverage?distanceKm=10');
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="coverage-figures"]')?.textContent?.includes(text) ?? false,
      `${coverage.totals.villagesCovered} / ${coverage.totals.villages}`,
    );
    const gaps = await api<Gaps>('/api/coverage/gaps?distanceKm=10&k=3&limit=8');
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="coverage-sites"]')?.textContent?.includes(text) ?? false,
      `+${gaps.sites.features[0]?.properties.newlyCovered}`,
    );
    await waitForMapRendered(page);
    await screenshotPage(page, resolve(artifacts, 'coverage-10km.png'));
  });

  it('given the room list, when a room is clicked, then its panel shows kind, staffing, workload and reach', async () => {
    const { page } = session;
    const coverage = await api<Coverage>('/api/coverage?distanceKm=10');
    const busiest = [...coverage.rooms].sort((a, b) => b.openCases - a.openCases)[0];
    expect(busiest).toBeDefined();
    const zoomBefore = await page.evaluate(() => window.__map?.getZoom() ?? 0);
    await clickTestId(page, `coverage-room-${busiest?.id}`);
    const card = (await page.getByTestId('room-card').textContent()) ?? '';
    expect(card).toContain(busiest?.name);
    expect(card).toContain(busiest?.staffedBy?.name);
    expect(card).toContain(String(busiest?.openCases));
    expect(new URL(page.url()).searchParams.get('station')).toBe(String(busiest?.id));
    // The map flies to it.
    await page.waitForFunction((z) => (window.__map?.getZoom() ?? 0) > z + 1, zoomBefore);
    await waitForMapIdle(page);
    await waitForMapRendered(page);
    await page.getByTestId('room-card').scrollIntoViewIfNeeded();
    await screenshotPage(page, resolve(artifacts, 'coverage-room.png'));
  });

  it('given the form, when a room is placed outside the county, then the server’s reason shows; placed at a suggested site, coverage grows', async () => {
    const { page } = session;
    const before = await api<Coverage>('/api/coverage?distanceKm=10');
    const gaps = await api<Gaps>('/api/coverage/gaps?distanceKm=10&k=3&limit=8');
    await scrollSideTo(page, 0);
    await page.getByTestId('coverage-sites').locator('li').first().getByRole('button').nth(1).click();
    await page.getByTestId('station-lon').fill('100.5');
    await clickTestId(page, 'station-save');
    expect(await page.getByTestId('station-error').textContent({ timeout: 30_000 })).toContain('outside the county');
    const [lon] = gaps.sites.features[0]?.geometry.coordinates ?? [];
    await page.getByTestId('station-lon').fill(String(lon));
    await clickTestId(page, 'station-save');
    await page.waitForFunction(() => document.querySelector('[data-testid="room-card"]') !== null);
    const id = Number(new URL(page.url()).searchParams.get('station'));
    createdIds.push(id);
    const after = await api<Coverage>('/api/coverage?distanceKm=10');
    expect(after.totals.rooms).toBe(before.totals.rooms + 1);
    expect(after.totals.disputesCovered - before.totals.disputesCovered).toBe(
      gaps.sites.features[0]?.properties.newlyCovered,
    );
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="coverage-figures"]')?.textContent?.includes(text) ?? false,
      `${after.totals.disputesCovered} / ${after.totals.disputes}`,
    );
  });
});
