import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { booleanPointInPolygon, distance } from '@turf/turf';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AdminUnitCollection } from '../../web/src/api/admin-units';
import { SCR } from '../../web/src/map/uploads-layers';
import {
  apiFetch,
  closeBrowser,
  type DashboardSession,
  openDashboard,
  openPhone,
  outboxEntries,
  renderedPoints,
  screenshotPage,
  setOffline,
  waitForMapIdle,
  waitForMapToSettle,
} from './driver.js';

const baseUrl = inject('e2eBaseUrl');
const skipReason = inject('e2eSkipReason');
const artifacts = resolve(import.meta.dirname, '../artifacts');
const fixtures = resolve(import.meta.dirname, '../fixtures/uploads');

interface Expected {
  accepted: Record<string, { code: string; village: string; town: string; lon: number; lat: number }>;
  rejected: Record<string, string>;
}

describe.skipIf(skipReason !== '')('field screening uploads', () => {
  let session: DashboardSession;
  let file: string;
  let screener: string;
  const expected = JSON.parse(
    readFileSync(resolve(fixtures, 'screenings-gbk-gcj02.expected.json'), 'utf8'),
  ) as Expected;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    // The fixture as Chinese Excel saved it (GBK, GCJ-02), with this run's screener name so that the rows are
    // new to the reused e2e database (a re-sent identical file would rightly store nothing).
    screener = `李网格员${Date.now() % 100000}`;
    const text = iconv
      .decode(readFileSync(resolve(fixtures, 'screenings-gbk-gcj02.csv')), 'gbk')
      .replaceAll('李网格员', screener);
    file = resolve(artifacts, 'uploads-input-gbk.csv');
    writeFileSync(file, iconv.encode(text, 'gbk'));
    session = await openDashboard(baseUrl, '/upload');
  });

  afterAll(async () => {
    await session?.close();
    await closeBrowser();
  });

  it('given a GBK CSV with GCJ-02 coordinates, when uploaded through the page, then it shows progress and the report', async () => {
    const { page } = session;
    await page.getByTestId('upload-form').waitFor();
    await page.getByTestId('upload-file').setInputFiles(file);
    await page.getByTestId('upload-crs').selectOption('gcj02');
    await page.getByTestId('upload-submit').click();
    await page.getByTestId('upload-progress').waitFor({ state: 'attached', timeout: 10_000 });
    await page.getByTestId('upload-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('count-accepted').textContent()).toBe(String(Object.keys(expected.accepted).length));
    expect(await page.getByTestId('count-rejected').textContent()).toBe(String(Object.keys(expected.rejected).length));
    expect(await page.getByTestId('batch-encoding').textContent()).toBe('gb18030');
    // Some rows refused: the title says the batch was stored in part, with both counts.
    expect(await page.getByTestId('upload-result').getAttribute('data-outcome')).toBe('partial');
    expect(await page.locator('[data-testid="upload-result"] h2').textContent()).toContain(
      `${Object.keys(expected.rejected).length} 行未通过`,
    );
    const report = await page.getByTestId('upload-report').textContent();
    for (const [row, field] of Object.entries(expected.rejected))
      expect(report).toMatch(new RegExp(`${row}\\s*${field}`));
    const href = await page.getByTestId('download-report').getAttribute('href');
    // Reasons in the page's language (zh-CN), by their codes; the downloadable report in the same language.
    expect(report).toContain('不是日期');
    const csv = await (await apiFetch(new URL(href as string, baseUrl))).text();
    expect(csv).toContain('screened_on');
    expect(csv).toContain('不是日期');
    await screenshotPage(page, resolve(artifacts, 'uploads-report.png'));
    expect(session.consoleErrors).toEqual([]);
  });

  it('given the stored batch, when shown on the map, then each row is drawn inside its village', async () => {
    const { page } = session;
    const link = await page.getByTestId('show-on-map').getAttribute('href');
    await page.goto(new URL(`${link}&testHooks=1`, baseUrl).toString());
    await waitForMapIdle(page);
    await page.getByTestId('batch-points').waitFor();
    await waitForMapToSettle(page);
    const points = await renderedPoints(page, [SCR.pointCircles]);
    expect(points.length).toBe(Object.keys(expected.accepted).length);
    const villages = (await (
      await apiFetch(new URL('/api/admin-units?level=village', baseUrl))
    ).json()) as AdminUnitCollection;
    for (const e of Object.values(expected.accepted)) {
      const drawn = points.find((p) => p.properties.villageCode === e.code);
      expect(drawn, e.village).toBeDefined();
      const polygon = villages.features.find((f) => f.properties.code === e.code);
      expect(booleanPointInPolygon(drawn?.coordinates as [number, number], polygon as never)).toBe(true);
      // drawn at the WGS-84 point the GCJ-02 coordinates stand for (tile rounding aside)
      expect(distance(drawn?.coordinates as [number, number], [e.lon, e.lat], { units: 'meters' })).toBeLessThan(5);
    }
    await screenshotPage(page, resolve(artifacts, 'uploads-map.png'));
    expect(session.consoleErrors).toEqual([]);
  });
});

describe.skipIf(skipReason !== '')('the phone form', () => {
  let phone: DashboardSession;
  const fixtures = resolve(import.meta.dirname, '../fixtures/uploads');
  const target = (JSON.parse(readFileSync(resolve(fixtures, 'screenings-gbk-gcj02.expected.json'), 'utf8')) as Expected)
    .accepted['3'] as Expected['accepted'][string];
  const townCode = target.code.slice(0, 9);

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    phone = await openPhone(baseUrl, '/report', [target.lon, target.lat]);
  });
  afterAll(async () => {
    await phone?.close();
    await closeBrowser();
  });

  // The phone is signed in as the county administrator: its form batches are recorded under that account.
  const formBatches = async () => {
    const res = await apiFetch(new URL('/api/uploads?limit=200', baseUrl));
    return ((await res.json()) as { uploadedBy: string; format: string }[]).filter(
      (b) => b.format === 'form' && b.uploadedBy === 'admin',
    ).length;
  };

  it('given no signal, when a screening is submitted, then it waits on the phone and is sent once when back online', async () => {
    const { page } = phone;
    const screener = `手机${Date.now() % 100000}`;
    const before = await formBatches();
    await page.getByTestId('report-town').selectOption(townCode);
    await page.getByTestId('report-village').selectOption(target.code);
    await page.getByTestId('report-gps').click();
    await expect
      .poll(() => page.getByTestId('report-location').textContent())
      .toContain(target.lon.toFixed(6).slice(0, 8));
    await page.getByTestId('report-screener').fill(screener);
    await screenshotPage(page, resolve(artifacts, 'uploads-phone-form.png'));

    await setOffline(page, true);
    await page.getByTestId('report-submit').click();
    await page.getByTestId('report-queued').waitFor();
    const queued = await outboxEntries(page);
    expect(queued).toHaveLength(1);
    // The map repaints a moment after the status line pushed it down; let it, for a faithful screenshot.
    await page.waitForTimeout(1000);
    await screenshotPage(page, resolve(artifacts, 'uploads-phone-queued.png'));
    expect(await formBatches()).toBe(before);

    await setOffline(page, false);
    await expect.poll(() => page.getByTestId('report-status').textContent(), { timeout: 15_000 }).toMatch(/已上报 1/);
    expect(await formBatches()).toBe(before + 1);

    // The same entry sent again (an answer lost on the way back): the server knows its id, nothing new is stored.
    // Where an older version of the form kept it: moved into IndexedDB and sent.
    await page.evaluate((entry) => localStorage.setItem('screening-outbox', JSON.stringify([entry])), queued[0]);
    await page.reload();
    await expect.poll(() => page.getByTestId('report-status').textContent(), { timeout: 15_000 }).toMatch(/已上报 1/);
    expect(await formBatches()).toBe(before + 1);
    const points = await apiFetch(new URL(`/api/screenings?limit=5`, baseUrl));
    const latest = (await points.json()) as { features: { properties: { villageCode: string; screener: string } }[] };
    expect(
      latest.features.filter((f) => f.properties.screener === screener).map((f) => f.properties.villageCode),
    ).toEqual([target.code]);
  });
});

describe.skipIf(skipReason !== '')('screening rounds on the dashboard', () => {
  let session: DashboardSession;
  afterAll(async () => {
    await session?.close();
    await closeBrowser();
  });

  it('given a special round of 10–12 May 2023 (due before the demo’s as-of day, 17 May), when it is picked, then each town shows its progress and villages their state', async () => {
    const res = await apiFetch(new URL('/api/screening-rounds', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `敏感期专项排查 ${Date.now() % 100000}`,
        kind: 'special',
        startsOn: '2023-05-10',
        dueOn: '2023-05-12',
      }),
    });
    expect(res.status).toBe(201);
    const round = (await res.json()) as { id: number };
    session = await openDashboard(baseUrl, `/?view=screenings&round=${round.id}&testHooks=1`);
    const { page } = session;
    await waitForMapIdle(page);
    await page.getByTestId('town-progress').locator('button').first().waitFor();
    await waitForMapToSettle(page);
    await screenshotPage(page, resolve(artifacts, 'uploads-round.png'));
    const towns = await page.getByTestId('town-progress').locator('button').count();
    const progress = (await (
      await apiFetch(new URL(`/api/screening-rounds/${round.id}/progress`, baseUrl))
    ).json()) as unknown[];
    expect(towns).toBe(progress.length);
    const states = new Set((await renderedPoints(page, [SCR.villageFill])).map((f) => String(f.properties.state)));
    // Demo screenings of those days report risks or zero; the villages without one are overdue on the as-of day.
    expect([...states].sort()).toEqual(expect.arrayContaining(['overdue', 'risks']));
    expect(session.consoleErrors).toEqual([]);

    // When a screener opens the phone form for a town, then the villages still owing a report in the latest round
    // covering the town show (on the demo: the May monthly round, which starts after the special one).
    const town = '430723108';
    const rounds = (await (await apiFetch(new URL('/api/screening-rounds', baseUrl))).json()) as {
      id: number;
      name: string;
      startsOn: string;
      towns: string[] | null;
    }[];
    const latest = rounds
      .filter((r) => r.towns === null || r.towns.includes(town))
      .sort((a, b) => b.startsOn.localeCompare(a.startsOn) || b.id - a.id)[0] as { id: number; name: string };
    const todo = (await (
      await apiFetch(new URL(`/api/screening-rounds/${latest.id}/to-do?town=${town}`, baseUrl))
    ).json()) as { code: string }[];
    expect(todo.length).toBeGreaterThan(0);
    const phone = await openPhone(baseUrl, '/report', [111.45, 29.8]);
    try {
      await phone.page.getByTestId('report-town').selectOption(town);
      const list = phone.page.getByTestId('report-todo');
      await list.waitFor();
      expect(await list.locator('strong').textContent()).toContain(latest.name);
      // The screening day starts at the county's today: on the demo its pinned as-of day, not the device's clock.
      const { asOf } = (await (await apiFetch(new URL('/api/config', baseUrl))).json()) as { asOf: string };
      const date = phone.page.getByTestId('report-date');
      expect(await date.inputValue()).toBe(asOf.slice(0, 10));
      // A day typed as written in Chinese reads as that day; one the calendar lacks is marked and refused.
      await date.fill('2023年5月16日');
      await date.blur();
      expect(await date.inputValue()).toBe('2023-05-16');
      await date.fill('2023-02-30');
      await date.blur();
      expect(await date.getAttribute('aria-invalid')).toBe('true');
      expect(await date.evaluate((e) => (e as HTMLInputElement).validationMessage)).toContain('年-月-日');
      // A real day after the county's today is refused as such, not as a badly written one.
      await date.fill('2023-12-31');
      await date.blur();
      expect(await date.getAttribute('aria-invalid')).toBe('true');
      expect(await date.evaluate((e) => (e as HTMLInputElement).validationMessage)).toBe(
        `日期不能晚于 ${asOf.slice(0, 10)}`,
      );
      await date.fill(asOf.slice(0, 10));
      expect(await list.locator('li').count()).toBe(todo.length);
      await list.locator('li button').first().click();
      expect(todo.map((v) => v.code)).toContain(await phone.page.getByTestId('report-village').inputValue());
      await screenshotPage(phone.page, resolve(artifacts, 'uploads-phone-todo.png'));
    } finally {
      await phone.close();
    }
  });
});
