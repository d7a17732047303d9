import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AdminUnitCollection } from '../../web/src/api/admin-units';
import {
  apiFetch,
  clickMapAt,
  clickTestId,
  closeBrowser,
  closePopup,
  type DashboardSession,
  type OwnServer,
  openDashboard,
  screenshotPage,
  scrollSideTo,
  selectOption,
  startOwnServer,
  textOf,
  waitForMapIdle,
} from './driver.js';

const skipReason = inject('e2eSkipReason');
const root = resolve(import.meta.dirname, '../..');
const artifacts = resolve(root, 'tests/artifacts');
/** 王家厂镇 */
const TOWN = '430723108';

/**
 * This spec writes cases, and the shared e2e server's database is asserted on by others (27,013 found), so it
 * runs the real server on a database of its own (embedded, seeded fresh) and removes it afterwards.
 */
describe.skipIf(skipReason !== '')('case register', () => {
  let session: DashboardSession;
  let server: OwnServer;
  const dataDir = resolve(root, '.data/e2e-cases');

  const figure = async (testId: string) => textOf(session.page, testId);

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startOwnServer(dataDir, 'the cases e2e server', 240_000);
    session = await openDashboard(server.baseUrl, `/?testHooks=1&view=cases&town=${TOWN}`);
  });

  afterAll(async () => {
    await session?.close();
    await closeBrowser();
    await server?.stop();
  });

  it('given a town, when a case is created on the map, handed from the police station to the judicial office and resolved, then the town figures change', async () => {
    const { page } = session;
    await waitForMapIdle(page);
    await page.getByTestId('case-figures').waitFor({ timeout: 30_000 });
    const foundBefore = await figure('fig-found');
    const resolvedBefore = await figure('fig-resolved');

    // Given the village of the town, when "new case" is opened and the map clicked there
    const villages = (await (
      await apiFetch(`${server.baseUrl}/api/admin-units?level=village&parent=${TOWN}`)
    ).json()) as AdminUnitCollection;
    const v = villages.features[0]?.properties;
    if (!v) throw new Error('no village');
    await clickTestId(page, 'case-new');
    // While a location is being picked, a click on an open case picks the point and opens no popup.
    const open = (await (
      await apiFetch(`${server.baseUrl}/api/disputes?town=${TOWN}&status=open&format=geojson&limit=1`)
    ).json()) as { features: { geometry: { coordinates: [number, number] } }[] };
    const onCase = open.features[0]?.geometry.coordinates;
    if (!onCase) throw new Error('no open case in the town');
    await clickMapAt(page, onCase);
    await expect.poll(() => textOf(page, 'case-picked')).toContain('已选地点');
    expect(await page.locator('.maplibregl-popup').count()).toBe(0);
    await clickMapAt(page, [v.labelLon + 0.001, v.labelLat + 0.001]);
    await selectOption(page, 'case-category', 'land_forest');
    await page.getByTestId('case-summary').fill('承包地界址争议，双方多次争吵');
    await page.getByTestId('party-name').fill('王小明');
    await page.getByTestId('party-phone').fill('13812345678');
    await page.getByTestId('party-id').fill('430723199001011234');
    await clickTestId(page, 'case-save');

    // Then the case opens at the police station, with masked parties
    await page.getByTestId('case-detail').waitFor({ timeout: 30_000 });
    expect(await textOf(page, 'case-status')).toBe('已上报');
    expect(await textOf(page, 'case-station')).toContain('派出所');
    const parties = await textOf(page, 'case-parties');
    expect(parties).toContain('王某');
    expect(parties).toContain('138****5678');
    expect(parties).toContain('430723********1234');
    expect(parties).not.toContain('王小明');

    // When it is accepted and handed to the judicial office
    await clickTestId(page, 'case-to-accepted');
    await expect.poll(() => textOf(page, 'case-status')).toBe('已受理');
    await clickTestId(page, 'case-handoff-judicial_office');
    await expect.poll(() => textOf(page, 'case-station')).toContain('司法所');
    expect(await textOf(page, 'case-timeline')).toMatch(/移交：.*派出所 → .*司法所/);

    // And mediated and resolved in the village
    await clickTestId(page, 'case-to-mediating');
    await expect.poll(() => textOf(page, 'case-status')).toBe('调解中');
    await selectOption(page, 'case-level', 'village');
    await clickTestId(page, 'case-to-resolved');
    await expect.poll(() => textOf(page, 'case-status')).toBe('已化解');

    // Then the town's figures count it
    const plusOne = (s: string) => String(Number(s.replace(/,/g, '')) + 1);
    await expect.poll(async () => (await figure('fig-found')).replace(/,/g, '')).toBe(plusOne(foundBefore));
    const [resolvedNum] = resolvedBefore.split('/');
    await expect.poll(async () => (await figure('fig-resolved')).split('/')[0]).toBe(plusOne(resolvedNum as string));
    await closePopup(page).catch(() => {});
    await waitForMapIdle(page);
    await scrollSideTo(page, 0);
    await screenshotPage(page, resolve(artifacts, 'cases.png'));
    expect(session.consoleErrors).toEqual([]);
  });

  it('given the register, when an illegal move is attempted through the API, then it is refused with the legal ones', async () => {
    const list = await (
      await apiFetch(`${server.baseUrl}/api/cases?town=${TOWN}&status=resolved&sort=-reportedAt&limit=1`)
    ).json();
    const c = list.items[0];
    const r = await apiFetch(`${server.baseUrl}/api/disputes/${c.id}/transitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: c.version, to: 'mediating' }),
    });
    expect(r.status).toBe(409);
    await clickTestId(session.page, 'case-new');
    await screenshotPage(session.page, resolve(artifacts, 'cases-form.png'));
  });
});
