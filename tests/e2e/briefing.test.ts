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

const baseUrl = inject('e2eBaseUrl');
const skipReason = inject('e2eSkipReason');
const artifacts = resolve(import.meta.dirname, '../artifacts');

async function api<T>(path: string, as = 'leader'): Promise<T> {
  const response = await apiFetch(new URL(path, baseUrl), {}, as);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
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

  it('given the dashboard, when printed, then an A4 landscape page shows the map and the panel without buttons', async () => {
    const { page } = session;
    const file = resolve(artifacts, 'dashboard-print.pdf');
    await printToPdf(page, file);
    const text = pdfText(file);
    expect(text).not.toContain('生成专报');
    expect(text).toContain('考核排名');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, resolve(artifacts, 'dashboard-print')]);
  });
});
