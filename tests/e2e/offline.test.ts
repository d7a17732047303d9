import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  apiFetch,
  closeBrowser,
  type DashboardSession,
  openPhone,
  outboxEntries,
  requeueOutbox,
  screenshotPage,
  setOffline,
  waitForServiceWorker,
} from './driver.js';

const baseUrl = inject('e2eBaseUrl');
const skipReason = inject('e2eSkipReason');
const artifacts = resolve(import.meta.dirname, '../artifacts');

/**
 * The phone form where screeners are: installable (a web app manifest whose start_url is the form) and usable
 * without a network once loaded (a Workbox service worker keeps the shell and the screener's villages; reports
 * wait in IndexedDB and are sent once, by their idempotency key, when the network is back).
 */
describe.skipIf(skipReason !== '')('the phone form offline', () => {
  let phone: DashboardSession;
  // The field screener of 王家厂镇 (server/auth/accounts.ts createDemoAccounts): three villages of one town.
  const town = '430723108';
  const villages = ['430723108001', '430723108002'];
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    phone = await openPhone(baseUrl, '/report', [111.75, 29.9], 'screener.wjc');
  });
  afterAll(async () => {
    await phone?.close();
    await closeBrowser();
  });

  // The screener's form batches (one per report sent; a re-sent report makes none); reports without a location
  // are not points on the map, so they are counted here.
  const formBatches = async () => {
    const res = await apiFetch(new URL('/api/uploads?limit=200', baseUrl));
    const body = (await res.json()) as { id: number; format: string; uploadedBy: string; rowsAccepted: number }[];
    return body.filter((b) => b.format === 'form' && b.uploadedBy === 'screener.wjc');
  };

  it('is installable: a manifest with the form as start_url, standalone display and PNG icons', async () => {
    const { page } = phone;
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBeTruthy();
    const manifest = (await (await fetch(new URL(href as string, baseUrl))).json()) as {
      name: string;
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; type: string }[];
    };
    expect(manifest).toMatchObject({ start_url: '/report', display: 'standalone' });
    expect(manifest.name).toMatch(/排查/);
    const sizes = manifest.icons.filter((i) => i.type === 'image/png').map((i) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons) {
      const res = await fetch(new URL(icon.src, baseUrl));
      expect(res.headers.get('content-type'), icon.src).toMatch(/image\/png/);
    }
  });

  it('opens without a network once loaded, keeps two reports and sends each exactly once when back online', async () => {
    const { page } = phone;
    const screener = `离线${Date.now() % 100000}`;
    const before = (await formBatches()).length;
    await waitForServiceWorker(page);
    // Online once under the worker, so the answers the form needs are kept (who is signed in, towns, villages).
    await page.reload();
    await page.getByTestId('report-town').selectOption(town);
    await page.locator(`[data-testid="report-village"] option[value="${villages[1]}"]`).waitFor({ state: 'attached' });

    await setOffline(page, true);
    await page.reload();
    await page.getByTestId('report-form').waitFor();
    await page.getByTestId('report-town').selectOption(town);
    for (const village of villages) {
      await page.locator(`[data-testid="report-village"] option[value="${village}"]`).waitFor({ state: 'attached' });
      await page.getByTestId('report-village').selectOption(village);
      await page.getByTestId('report-screener').fill(screener);
      // The demo's "today" (app_now()): a later date would be refused as in the future.
      await page.getByTestId('report-date').fill('2023-05-17');
      await page.getByTestId('report-submit').click();
      await expect.poll(async () => (await outboxEntries(page)).length).toBe(villages.indexOf(village) + 1);
    }
    await expect.poll(() => page.getByTestId('report-queued').getAttribute('data-count')).toBe('2');
    await expect.poll(() => page.getByTestId('report-sync').textContent()).toMatch(/待发送 2 条/);
    await screenshotPage(page, resolve(artifacts, 'offline-phone-queued.png'));
    const queued = await outboxEntries(page);
    expect((await formBatches()).length).toBe(before);

    await setOffline(page, false);
    await expect.poll(() => page.getByTestId('report-sync').textContent(), { timeout: 20_000 }).toMatch(/上次同步/);
    await expect.poll(async () => (await outboxEntries(page)).length).toBe(0);
    const status = await page.getByTestId('report-status').textContent();
    const sent = await formBatches();
    expect(sent.length - before, `form says: ${status}`).toBe(2);
    expect(sent.slice(0, 2).map((b) => b.rowsAccepted)).toEqual([1, 1]);
    await screenshotPage(page, resolve(artifacts, 'offline-phone-synced.png'));

    // The sync retried (the answers lost on the way back): the same two reports sent again store nothing new.
    await requeueOutbox(page, queued);
    await page.reload();
    await expect.poll(async () => (await outboxEntries(page)).length, { timeout: 20_000 }).toBe(0);
    expect((await formBatches()).length - before).toBe(2);
  });
});
