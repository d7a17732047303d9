import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { HotspotCollection } from '../../web/src/api/analytics';
import type { SummaryResponse } from '../../web/src/api/types';
import { formatCount, formatPercent } from '../../web/src/lib/format';
import {
  clickTestId,
  closeBrowser,
  type DashboardSession,
  openDashboard,
  overlayFeatureCount,
  screenshotPage,
  selectOption,
  textOf,
  waitForKpis,
  waitForMapIdle,
  waitForMapToSettle,
} from './driver.js';

const baseUrl = inject('e2eBaseUrl');
const skipReason = inject('e2eSkipReason');
const artifacts = resolve(import.meta.dirname, '../artifacts');

/** 王家厂镇: the town of the article's 2021 medical dispute. */
const TOWN = '430723108';
const ARTICLE_CASE = 'LX-2021-000525';

async function api<T>(path: string): Promise<T> {
  const response = await fetch(new URL(path, baseUrl));
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
    await waitForMapToSettle(page);
    await clickTestId(page, 'hot-layer-hotspots');
    await waitForMapToSettle(page);
    const expected = await api<HotspotCollection>('/api/analytics/hotspots?source=disputes&zoom=10');
    expect(expected.meta.hot99).toBeGreaterThan(0);
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="hot-summary"]')?.getAttribute('data-cells') === String(n),
      expected.features.length,
    );
    expect(await overlayFeatureCount(page, 'hot-data')).toBe(expected.features.length);
    await waitForKpis(page, kpisOf(await api<SummaryResponse>('/api/summary')));
    await screenshotPage(page, resolve(artifacts, 'hotspots-county.png'));
  });

  it('given the hot spot layer, when filtered to one town and a category, then the map and the KPIs follow the API', async () => {
    const { page } = session;
    await clickTestId(page, `hot-unit-${TOWN}`);
    await waitForMapToSettle(page);
    const town = await api<HotspotCollection>(`/api/analytics/hotspots?source=disputes&zoom=11.5&town=${TOWN}`);
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="hot-summary"]')?.getAttribute('data-cells') === String(n),
      town.features.length,
    );
    expect(await overlayFeatureCount(page, 'hot-data')).toBe(town.features.length);
    await waitForKpis(page, kpisOf(await api<SummaryResponse>(`/api/summary?town=${TOWN}`)));

    await selectOption(page, 'filter-category', 'medical');
    await waitForMapToSettle(page);
    const medical = await api<HotspotCollection>(
      `/api/analytics/hotspots?source=disputes&zoom=11.5&town=${TOWN}&category=medical`,
    );
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="hot-summary"]')?.getAttribute('data-cells') === String(n),
      medical.features.length,
    );
    expect(await overlayFeatureCount(page, 'hot-data')).toBe(medical.features.length);
    await waitForKpis(page, kpisOf(await api<SummaryResponse>(`/api/summary?town=${TOWN}&category=medical`)));
    const url = new URL(page.url());
    expect(url.searchParams.get('category')).toBe('medical');
    expect(url.searchParams.get('town')).toBe(TOWN);
    await waitForMapIdle(page);
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
    await waitForMapToSettle(page);
    const open = await api<{ cases: { features: unknown[] } }>(
      `/api/analytics/unresolved?town=${TOWN}&category=medical`,
    );
    await page.waitForFunction(() => document.querySelector('[data-testid="hot-unresolved-summary"]') !== null);
    expect(await overlayFeatureCount(page, 'hot-data')).toBe(open.cases.features.length);
    expect(session.consoleErrors).toEqual([]);
  });
});
