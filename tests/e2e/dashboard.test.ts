import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AdminUnitFeature } from '../../web/src/api/admin-units';
import type { DisputeCollection } from '../../web/src/api/disputes';
import type { SummaryResponse } from '../../web/src/api/summary';
import type { RiskLevel } from '../../web/src/api/vocabulary';
import { formatCount, formatPercent } from '../../web/src/lib/format';
import { COLORS, RISK_COLORS } from '../../web/src/map/layers';
import {
  apiFetch,
  backToCounty,
  clickDisputeOnMap,
  clickTownOnMap,
  clickTownRow,
  closeBrowser,
  closePopup,
  currentUrl,
  type DashboardSession,
  htmlLang,
  openDashboard,
  popupText,
  readKpis,
  screenshotMap,
  screenshotPage,
  switchLanguage,
  textOf,
  waitForKpis,
  waitForMapIdle,
  waitForMapToSettle,
} from './driver.js';
import { countNear, decodePng, distinctColours, hexToRgb } from './pixels.js';

const baseUrl = inject('e2eBaseUrl');
const skipReason = inject('e2eSkipReason');
const artifacts = resolve(import.meta.dirname, '../artifacts');

/** 王家厂镇: the town of the article's 2021 medical dispute. */
const TOWN = '430723108';
/** Screenshot pixels within this RGB distance of a layer colour count as that layer. */
const TOLERANCE = 24;

async function api<T>(path: string): Promise<T> {
  const response = await apiFetch(new URL(path, baseUrl));
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

describe.skipIf(skipReason !== '')("the leaders' dashboard", () => {
  let session: DashboardSession;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    session = await openDashboard(baseUrl, '/?testHooks=1');
  });

  afterAll(async () => {
    await session?.close();
    await closeBrowser();
  });

  it('given the county view, when the map is idle, then the KPIs read the article figures', async () => {
    const { page } = session;

    await waitForMapIdle(page);

    await waitForKpis(page, { found: '27,013', resolved: '26,014', rate: '96.3%', open: '999' });
    expect(await readKpis(page)).toEqual({ found: '27,013', resolved: '26,014', rate: '96.3%', open: '999' });
    expect(await textOf(page, 'demo-notice')).toContain('演示数据为合成数据，边界为示意');
  });

  it('given the county view, then the canvas shows town boundaries and open cases by risk colour', async () => {
    const { page } = session;
    await waitForMapIdle(page);
    const open = await api<DisputeCollection>('/api/disputes?format=geojson&status=open&limit=10000');
    const perLevel = new Map<RiskLevel, number>();
    for (const f of open.features)
      perLevel.set(f.properties.riskLevel, (perLevel.get(f.properties.riskLevel) ?? 0) + 1);

    await screenshotPage(page, resolve(artifacts, 'dashboard.png'));
    const image = decodePng(await screenshotMap(page, resolve(artifacts, 'dashboard-map.png')));
    const counts = countNear(
      image,
      {
        townLine: hexToRgb(COLORS.townLine),
        red: hexToRgb(RISK_COLORS.red),
        orange: hexToRgb(RISK_COLORS.orange),
        yellow: hexToRgb(RISK_COLORS.yellow),
        blue: hexToRgb(RISK_COLORS.blue),
      },
      TOLERANCE,
    );

    // A blank canvas holds a colour or two; this one holds fills, lines, labels and points.
    expect(distinctColours(image)).toBeGreaterThan(100);
    // 19 towns' shared boundaries, ~1.5 px wide, run to several thousand pixels at county zoom.
    expect(counts.townLine, JSON.stringify(counts)).toBeGreaterThan(800);
    console.log(`[e2e] map pixels near layer colours: ${JSON.stringify(counts)}`);
    // Each risk level with cases shows up: one circle is ~30 pixels at county zoom, and overlaps hide some.
    for (const [level, cases] of perLevel) {
      const floor = Math.min(cases, 50) * 10;
      expect(counts[level], `${level}: ${cases} open cases; ${JSON.stringify(counts)}`).toBeGreaterThan(floor);
    }
    const riskPixels = (counts.red ?? 0) + (counts.orange ?? 0) + (counts.yellow ?? 0) + (counts.blue ?? 0);
    expect(riskPixels, JSON.stringify(counts)).toBeGreaterThan(1500);
  });

  it('when an open case is clicked, then a popup describes it in Chinese', async () => {
    const { page } = session;
    const caseNo = await clickDisputeOnMap(page, null);

    const text = await popupText(page);

    expect(text).toContain(caseNo);
    expect(text).toMatch(/纠纷类型/);
    expect(text).toMatch(/红色|橙色|黄色|蓝色/);
    await closePopup(page);
  });

  it('when a town is clicked on the map, then the KPIs, the breadcrumb and the URL switch to it', async () => {
    const { page } = session;
    const town = await api<AdminUnitFeature>(`/api/admin-units/${TOWN}`);
    const expected = (await api<SummaryResponse>(`/api/summary?town=${TOWN}`)).total;
    const want = {
      found: formatCount(expected.found, 'zh-CN'),
      resolved: formatCount(expected.resolved, 'zh-CN'),
      rate: formatPercent(expected.successRate, 'zh-CN'),
      open: formatCount(expected.open, 'zh-CN'),
    };
    expect(want.found).not.toBe('27,013');

    await clickTownOnMap(page, TOWN, [town.properties.labelLon, town.properties.labelLat]);

    await waitForKpis(page, want);
    expect((await currentUrl(page)).searchParams.get('town')).toBe(TOWN);
    expect(await textOf(page, 'breadcrumb-town')).toBe(town.properties.name);
    await waitForMapToSettle(page);
    expect(session.consoleErrors).toEqual([]);
  });

  it('when the page is reloaded, then the town stays selected', async () => {
    const { page } = session;
    const expected = (await api<SummaryResponse>(`/api/summary?town=${TOWN}`)).total;

    await page.reload();

    await waitForMapIdle(page);
    await waitForKpis(page, {
      found: formatCount(expected.found, 'zh-CN'),
      resolved: formatCount(expected.resolved, 'zh-CN'),
      rate: formatPercent(expected.successRate, 'zh-CN'),
      open: formatCount(expected.open, 'zh-CN'),
    });
  });

  it('when switching to English, then labels change and the choice is in the URL', async () => {
    const { page } = session;
    expect(await page.getByText('排查发现').count()).toBeGreaterThan(0);

    await switchLanguage(page);

    await page.getByText('Found', { exact: true }).first().waitFor({ timeout: 10_000 });
    expect(await page.getByText('排查发现').count()).toBe(0);
    expect(await htmlLang(page)).toBe('en');
    expect((await currentUrl(page)).searchParams.get('lang')).toBe('en');
    expect(await textOf(page, 'demo-notice')).toContain('synthetic');
    await waitForMapIdle(page);
    await screenshotPage(page, resolve(artifacts, 'dashboard-town.png'));
  });

  it('when going back to the county, then the county figures return', async () => {
    const { page } = session;

    await backToCounty(page);

    await waitForKpis(page, { found: '27,013', resolved: '26,014', rate: '96.3%', open: '999' });
    expect((await currentUrl(page)).searchParams.has('town')).toBe(false);
    await waitForMapToSettle(page);
  });

  it('when a town row is clicked in the table, then that town is selected (in English now)', async () => {
    const { page } = session;
    const summary = await api<SummaryResponse>('/api/summary');
    const other = summary.towns.find((t) => t.code !== TOWN && t.found > 0);
    if (!other) throw new Error('the county summary lists no other town');

    await clickTownRow(page, other.code);

    await waitForKpis(page, {
      found: formatCount(other.found, 'en'),
      resolved: formatCount(other.resolved, 'en'),
      rate: formatPercent(other.successRate, 'en'),
      open: formatCount(other.open, 'en'),
    });
    expect((await currentUrl(page)).searchParams.get('town')).toBe(other.code);
    await waitForMapToSettle(page);
    expect(session.consoleErrors).toEqual([]);
  });
});
