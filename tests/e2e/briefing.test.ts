import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Assessment } from '../../web/src/api/assessment';
import {
  apiFetch,
  clickTestId,
  closeBrowser,
  type DashboardSession,
  downloadByClick,
  openDashboard,
  printToPdf,
  screenshotPage,
  waitForMapIdle,
  waitForOverlayCount,
} from './driver.js';
import { type DecodedImage, decodePng, distinctColours } from './pixels.js';

const baseUrl = inject('e2eBaseUrl');
const skipReason = inject('e2eSkipReason');
const artifacts = resolve(import.meta.dirname, '../artifacts');

async function api<T>(path: string, as = 'leader'): Promise<T> {
  const response = await apiFetch(new URL(path, baseUrl), {}, as);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

/** The part of an image between fractions of its width and height. */
function crop(image: DecodedImage, x0: number, y0: number, x1: number, y1: number): DecodedImage {
  const [l, t] = [Math.round(image.width * x0), Math.round(image.height * y0)];
  const [w, h] = [Math.round(image.width * x1) - l, Math.round(image.height * y1) - t];
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    data.set(image.data.subarray(((t + y) * image.width + l) * 4, ((t + y) * image.width + l + w) * 4), y * w * 4);
  }
  return { width: w, height: h, data };
}

/** The share of pixels that are not paper white. */
function inkShare(image: DecodedImage): number {
  let ink = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if ((image.data[i] ?? 255) < 245 || (image.data[i + 1] ?? 255) < 245 || (image.data[i + 2] ?? 255) < 245) ink++;
  }
  return ink / (image.width * image.height);
}

const pdfText = (file: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');

describe.skipIf(skipReason !== '')('leaders’ briefing and assessment', () => {
  let session: DashboardSession;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    session = await openDashboard(baseUrl, '/?testHooks=1', { width: 1440, height: 900 }, 'leader');
  });
  afterAll(async () => {
    await session?.close();
    await closeBrowser();
  });

  it('given a leader on the dashboard, when they press 生成专报, then the month’s briefing PDF downloads with its figures', async () => {
    const { page } = session;
    await waitForMapIdle(page);
    await page.getByTestId('briefing-button').waitFor();
    // The default period is the last complete month before the data's "now" (2023-05-17): April 2023.
    const file = resolve(artifacts, 'briefing-2023-04.pdf');
    const name = await downloadByClick(page, 'briefing-button', file);
    expect(name).toMatch(/2023-04\.pdf$/);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const rooms = await api<Assessment>('/api/assessment?period=2023-04&by=room');
    const top = rooms.units.find((u) => u.rank === 1);
    const text = pdfText(file);
    expect(text).toContain(`考核排名第一的是${top?.name}`);
    expect(text).toContain('2023年4月');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, resolve(artifacts, 'briefing-page')]);
  });

  it('given the 考核 view, when it opens, then every town is ranked or marked not ranked as the API says, on a score map', async () => {
    const { page } = session;
    await clickTestId(page, 'view-tab-assessment');
    const a = await api<Assessment>('/api/assessment?period=2023-04&by=town');
    await page.getByTestId('assessment-row').first().waitFor();
    expect(await page.getByTestId('assessment-row').count()).toBe(a.units.length);
    await waitForOverlayCount(page, 'asm-data', a.units.length);
    const first = await page.getByTestId('assessment-row').first().textContent();
    expect(first).toContain(a.units[0]?.name ?? '?');
    await page.getByTestId('assessment-row').first().click();
    await page.getByTestId('assessment-detail').waitFor();
    await waitForMapIdle(page);
    await screenshotPage(page, resolve(artifacts, 'assessment.png'));
  });

  it('given the dashboard, when printed, then one A4 landscape page shows the map and the panel without buttons', async () => {
    const { page } = session;
    await waitForMapIdle(page);
    // What the screen shows as buttons and tabs: none of it may reach the paper.
    // (A tab named like a heading of the printed panel, e.g. 考核, is left out: the heading may print.)
    const panel = (await page.getByTestId('assessment-panel').textContent()) ?? '';
    const tabs = (await page.getByTestId(/^view-tab-/).allInnerTexts()).filter((x) => !panel.includes(x.trim()));
    expect(tabs.length).toBeGreaterThan(2);
    const buttons = ['生成专报', '专报表格', 'English', ...tabs];
    const a = await api<Assessment>('/api/assessment?period=2023-04&by=town');
    const file = resolve(artifacts, 'dashboard-print.pdf');
    await printToPdf(page, file);
    await page.emulateMedia({ media: 'screen' });
    const info = execFileSync('pdfinfo', [file]).toString('utf8');
    expect(info).toMatch(/Pages:\s+1\n/);
    // A4 landscape: 841.92 × 594.96 pt.
    const size = /Page size:\s+([\d.]+) x ([\d.]+) pts \(A4\)/.exec(info);
    expect(size, info).not.toBeNull();
    expect(Number(size?.[1])).toBeGreaterThan(Number(size?.[2]));
    const text = pdfText(file);
    expect(text).toContain('考核排名');
    expect(text).toContain(a.units[0]?.name ?? '?');
    for (const b of buttons) expect(text, b).not.toContain(b.trim());
    const png = resolve(artifacts, 'dashboard-print');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, png]);
    const image = decodePng(readFileSync(`${png}.png`));
    // The map is the left 58 % of the page under the header: the drawn map, not a blank box, is there.
    const map = crop(image, 0.04, 0.2, 0.5, 0.85);
    expect(inkShare(map)).toBeGreaterThan(0.3);
    expect(distinctColours(map)).toBeGreaterThan(20);
  });
});

describe.skipIf(skipReason !== '')('scheduled briefings (the county administrator)', () => {
  let session: DashboardSession;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    session = await openDashboard(baseUrl, '/?view=assessment&testHooks=1', { width: 1440, height: 900 }, 'admin');
  });
  afterAll(async () => {
    await session?.close();
    await closeBrowser();
  });

  it('given the 考核 view, when the administrator adds a town’s monthly briefing and turns it off, then the list says so as the API does, and a stored briefing downloads', async () => {
    const { page } = session;
    await page.getByTestId('schedule-form').waitFor();
    const towns = await api<{ features: { properties: { code: string; name: string } }[] }>(
      '/api/admin-units?level=town',
      'admin',
    );
    // A town's schedule (the demo schedules only the county); adding it again on a re-run turns it on again.
    const town = towns.features.at(-1)?.properties as { code: string; name: string };
    await page.getByTestId('schedule-scope').selectOption(town.code);
    await page.getByTestId('schedule-frequency').selectOption('monthly');
    await page.getByTestId('schedule-add').click();
    const row = page.getByTestId('schedule-row').filter({ hasText: town.name }).filter({ hasText: '每月1日' });
    await row.waitFor();
    const listed = async () =>
      (
        await api<{ schedules: { scopeCode: string; frequency: string; enabled: boolean }[] }>(
          '/api/briefing-schedules',
          'admin',
        )
      ).schedules.find((s) => s.scopeCode === town.code && s.frequency === 'monthly');
    expect((await listed())?.enabled).toBe(true);
    expect(await row.getByTestId('schedule-status').textContent()).toBe('已启用');
    await screenshotPage(page, resolve(artifacts, 'briefing-schedules.png'));
    await row.getByTestId('schedule-toggle').click();
    await expect.poll(async () => row.getByTestId('schedule-status').textContent()).toBe('已停用');
    expect((await listed())?.enabled).toBe(false);

    // The scheduler has made the demo county's briefings (weekly, monthly) at start: each row downloads.
    const stored = page.getByTestId('briefings-row');
    await stored.first().waitFor();
    const file = resolve(artifacts, 'stored-briefing.pdf');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      stored.first().getByRole('link', { name: 'PDF' }).click(),
    ]);
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfText(file)).toContain('矛盾纠纷排查化解专报');
  });
  it('given the 考核 view by town, then each town’s joint-meeting regularity is shown beside the ranking, as the meetings API counts it', async () => {
    const { page } = session;
    const r = await api<{ towns: { townCode: string; townName: string; met: number; expected: number }[] }>(
      '/api/meetings/regularity',
      'admin',
    );
    expect(r.towns.length).toBeGreaterThan(1);
    const table = page.getByTestId('assessment-panel').getByTestId('meeting-regularity');
    await table.waitFor();
    const rows = table.locator('tr');
    await expect.poll(() => rows.count()).toBe(r.towns.length);
    for (const [i, x] of r.towns.entries()) {
      const text = await rows.nth(i).textContent();
      expect(text).toContain(x.townName);
      expect(text).toContain(`${x.met}/${x.expected}`);
    }
    await table.scrollIntoViewIfNeeded();
    await screenshotPage(page, resolve(artifacts, 'assessment-meetings.png'));
  });
});
