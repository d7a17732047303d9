import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { HotspotsResponse } from '../../web/src/api/analytics';
import type { SummaryResponse } from '../../web/src/api/summary';
import { formatCount, formatPercent } from '../../web/src/lib/format';
import {
  apiFetch,
  clickTestId,
  closeBrowser,
  type DashboardSession,
  openDashboard,
  screenshotPage,
  scrollSideTo,
  selectOption,
  textOf,
  waitForKpis,
  waitForMapIdle,
  waitForMapRendered,
  waitForOverlayCount,
} from './driver.js';

const baseUrl = inject('e2eBaseUrl');
const skipReason = inject('e2eSkipReason');
const artifacts = resolve(import.meta.dirname, '../artifacts');

/** 王家厂镇: the town of the article's 2021 medical dispute. */
const TOWN = '430723108';
const ARTICLE_CASE = 'LX-2021-000525';

async function api<T>(path: string): Promise<T> {
  const response = await apiFetch(new URL(path, baseUrl));
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

const kpisOf = (s: SummaryResponse) => ({
  found: formatCount(s.total.found, 'zh-CN'),
  resolved: formatCount(s.total.resolved, 'zh-CN'),
  rate: formatPercent(s.total.successRate, 'zh-CN'),
  open: formatCount(s.total.open, 'zh-CN'),
});

describe.skipIf(skipReason !== '')('hot spots, unresolved cases and trends', () => {
  let session: DashboardSession;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    session = await openDashboard(baseUrl, '/?testHooks=1');
  });

  afterAll(async () => {
    await session?.close();
    await closeBrowser();
  });

  it('given the overview, when the hot spot view and layer are chosen, then the map shows the Gi* cells the API gives', async () => {
    const { page } = session;
    await waitForMapIdle(page);
    await clickTestId(page, 'view-tab-hotspots');
    await clickTestId(page, 'hot-layer-heat');
    const heat = await api<{ features: unknown[] }>('/api/analytics/density?cellSize=400');
    await waitForOverlayCount(page, 'hot-data', heat.features.length);
    await clickTestId(page, 'hot-layer-hotspots');
    const expected = await api<HotspotsResponse>('/api/analytics/hotspots?source=disputes&zoom=10');
    await waitForOverlayCount(page, 'hot-data', expected.features.length);
    expect(expected.meta.hot99).toBeGreaterThan(0);
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="hot-summary"]')?.getAttribute('data-cells') === String(n),
      expected.features.length,
    );
    await waitForKpis(page, kpisOf(await api<SummaryResponse>('/api/summary')));
    await waitForMapRendered(page);
    await screenshotPage(page, resolve(artifacts, 'hotspots-county.png'));
  });

  it('given the hot spot layer, when filtered to one town and a category, then the map and the KPIs follow the API', async () => {
    const { page } = session;
    await clickTestId(page, `hot-unit-${TOWN}`);
    const town = await api<HotspotsResponse>(`/api/analytics/hotspots?source=disputes&zoom=11.5&town=${TOWN}`);
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="hot-summary"]')?.getAttribute('data-cells') === String(n),
      town.features.length,
    );
    await waitForOverlayCount(page, 'hot-data', town.features.length);
    await waitForKpis(page, kpisOf(await api<SummaryResponse>(`/api/summary?town=${TOWN}`)));

    await selectOption(page, 'filter-category', 'medical');
    const medical = await api<HotspotsResponse>(
      `/api/analytics/hotspots?source=disputes&zoom=11.5&town=${TOWN}&category=medical`,
    );
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="hot-summary"]')?.getAttribute('data-cells') === String(n),
      medical.features.length,
    );
    await waitForOverlayCount(page, 'hot-data', medical.features.length);
    await waitForKpis(page, kpisOf(await api<SummaryResponse>(`/api/summary?town=${TOWN}&category=medical`)));
    const url = new URL(page.url());
    expect(url.searchParams.get('category')).toBe('medical');
    expect(url.searchParams.get('town')).toBe(TOWN);
    await waitForMapRendered(page);
    await scrollSideTo(page, 0);
    await screenshotPage(page, resolve(artifacts, 'hotspots-town.png'));
  });

  it("given the town's villages, when the article's village and case are opened, then its detail and history show", async () => {
    const { page } = session;
    const list = await api<{ items: { caseNo: string; villageCode: string }[] }>(
      `/api/disputes?town=${TOWN}&category=medical&from=2021-05-25&to=2021-05-25`,
    );
    const village = list.items.find((i) => i.caseNo === ARTICLE_CASE)?.villageCode;
    expect(village).toBeTruthy();
    await clickTestId(page, `hot-unit-${village}`);
    await clickTestId(page, `case-${ARTICLE_CASE}`);
    expect(await textOf(page, 'case-summary')).toContain('王家厂镇卫生院');
    const timeline = await textOf(page, 'case-timeline');
    expect(timeline).toContain('2021-05-25');
    await screenshotPage(page, resolve(artifacts, 'hotspots-case.png'));
  });

  it('given the unresolved layer, when shown, then every open case of the filter is on the map', async () => {
    const { page } = session;
    await clickTestId(page, 'hot-layer-unresolved');
    const open = await api<{ cases: { features: unknown[] } }>(
      `/api/analytics/unresolved?town=${TOWN}&category=medical`,
    );
    await page.waitForFunction(() => document.querySelector('[data-testid="hot-unresolved-summary"]') !== null);
    await waitForOverlayCount(page, 'hot-data', open.cases.features.length);
    await selectOption(page, 'filter-category', '');
    const all = await api<{ cases: { features: unknown[] } }>(`/api/analytics/unresolved?town=${TOWN}`);
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="hot-unresolved-summary"]')?.textContent?.includes(` ${n} `),
      all.cases.features.length,
    );
    await waitForOverlayCount(page, 'hot-data', all.cases.features.length);
    await waitForMapRendered(page);
    await scrollSideTo(page, 0);
    await screenshotPage(page, resolve(artifacts, 'hotspots-unresolved.png'));
  });

  it('given the county, when the choropleth, heat and charts are shown, then each draws the filtered data', async () => {
    const { page } = session;
    await clickTestId(page, 'back-to-county');
    await clickTestId(page, 'hot-layer-choropleth');
    await selectOption(page, 'hot-kpi', 'open');
    const towns = await api<{ units: unknown[] }>('/api/analytics/units?level=town');
    await waitForOverlayCount(page, 'hot-data', towns.units.length);
    await waitForMapRendered(page);
    await scrollSideTo(page, 0);
    await screenshotPage(page, resolve(artifacts, 'hotspots-choropleth.png'));

    await clickTestId(page, 'hot-layer-heat');
    const heat = await api<{ features: unknown[] }>('/api/analytics/density?cellSize=400');
    await waitForOverlayCount(page, 'hot-data', heat.features.length);
    await waitForMapRendered(page);
    await screenshotPage(page, resolve(artifacts, 'hotspots-heat.png'));

    for (const chart of ['monthly', 'categories', 'ranking', 'weekday']) {
      await page.getByTestId(`chart-${chart}-canvas`).waitFor({ state: 'visible', timeout: 30_000 });
    }
    await page.getByTestId('chart-monthly').scrollIntoViewIfNeeded();
    await screenshotPage(page, resolve(artifacts, 'hotspots-charts.png'));
    expect(session.consoleErrors).toEqual([]);
  });
});
