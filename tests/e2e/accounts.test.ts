import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SummaryResponse } from '../../web/src/api/summary';
import { formatCount } from '../../web/src/lib/format';
import { LAYER } from '../../web/src/map/layers';
import {
  apiFetch,
  closeBrowser,
  type DashboardSession,
  openDashboard,
  readKpis,
  renderedPoints,
  screenshotPage,
  signInWithForm,
  textOf,
  waitForMapIdle,
} from './driver.js';

const baseUrl = inject('e2eBaseUrl');
const skipReason = inject('e2eSkipReason');
const artifacts = resolve(import.meta.dirname, '../artifacts');

/** The demo town officer's town, 王家厂镇, and another town (澧南镇). */
const OWN_TOWN = '430723108';
const OTHER_TOWN = '430723114';

async function json<T>(path: string, as = 'admin'): Promise<{ status: number; body: T }> {
  const res = await apiFetch(new URL(path, baseUrl), {}, as);
  return { status: res.status, body: (await res.json()) as T };
}

describe.skipIf(skipReason !== '')('signing in and town scope', () => {
  let session: DashboardSession;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    session = await openDashboard(baseUrl, '/?testHooks=1', { width: 1440, height: 900 }, null);
  });

  afterAll(async () => {
    await session?.close();
    await closeBrowser();
  });

  it('given nobody is signed in, when the dashboard opens, then it asks to sign in and refuses a wrong password', async () => {
    const { page } = session;
    const form = page.getByTestId('login-form');
    await form.waitFor();
    expect(await form.textContent()).toContain('登录');
    const anonymous = await fetch(new URL('/api/summary', baseUrl));
    expect(anonymous.status).toBe(401);
    // Opening the sign-in page is not an error: the app asks whether anyone is signed in without a failed request.
    expect(session.consoleErrors).toEqual([]);

    await page.locator('[data-testid="login-form"] input[name="username"]').fill('town.wjc');
    await page.locator('[data-testid="login-form"] input[name="password"]').fill('not-the-password');
    await page.locator('[data-testid="login-form"] button[type="submit"]').click();
    await page.getByTestId('login-error').waitFor();
    expect(await textOf(page, 'login-error')).toContain('用户名或密码错误');
    await screenshotPage(page, resolve(artifacts, 'accounts-login.png'));
  });

  it('given the town officer of 王家厂镇 signs in, then the map and KPIs hold only their town', async () => {
    const { page } = session;
    await signInWithForm(page, 'town.wjc');
    await page.getByTestId('user-menu').waitFor();
    expect(await textOf(page, 'user-menu')).toContain('乡镇干部');
    // County-wide comparisons (coverage of every town) are not offered; their own cases are.
    expect(await page.getByTestId('view-tab-coverage').count()).toBe(0);
    expect(await page.getByTestId('view-tab-cases').count()).toBe(1);
    await waitForMapIdle(page);

    // The county administrator's figures for that one town are what the town officer sees for "everything".
    const own = await json<SummaryResponse>(`/api/summary?town=${OWN_TOWN}`);
    const county = await json<SummaryResponse>('/api/summary');
    expect(own.body.total.found).toBeLessThan(county.body.total.found);
    await page.waitForFunction(
      (want) => document.querySelector('[data-testid="kpi-found"]')?.textContent?.includes(want),
      formatCount(own.body.total.found, 'zh-CN'),
    );
    expect((await readKpis(page)).found).toBe(formatCount(own.body.total.found, 'zh-CN'));

    const points = await renderedPoints(page, [LAYER.disputes]);
    expect(points.length).toBeGreaterThan(0);
    expect(new Set(points.map((p) => p.properties.townCode))).toEqual(new Set([OWN_TOWN]));
    await screenshotPage(page, resolve(artifacts, 'accounts-town-officer.png'));
  });

  it('given a case of their town with parties, when the town officer reveals one, then it shows in clear and the reveal is audited', async () => {
    const { page } = session;
    const open = await json<{ items: { id: number }[] }>(
      `/api/cases?town=${OWN_TOWN}&sort=-reportedAt&limit=50`,
      'town.wjc',
    );
    let target: { id: number; name: string } | null = null;
    for (const { id } of open.body.items) {
      const detail = await json<{ parties?: { id: number; name: string }[] }>(`/api/disputes/${id}/case`, 'town.wjc');
      const party = detail.body.parties?.[0];
      if (party) {
        target = { id, name: party.name };
        break;
      }
    }
    expect(target).not.toBeNull();
    const { id, name } = target as { id: number; name: string };
    expect(name).toMatch(/某$/);

    await page.goto(new URL(`/?testHooks=1&view=cases&case=${id}`, baseUrl).toString());
    const parties = page.getByTestId('case-parties');
    await parties.waitFor({ timeout: 30_000 });
    expect(await parties.textContent()).toContain(name);
    await parties.getByTestId('case-party-reveal').first().click();
    await page.locator('.case-party--clear').first().waitFor({ timeout: 15_000 });
    const clear = (await page.locator('.case-party--clear').first().textContent()) ?? '';
    expect(clear).not.toContain(name);
    expect(clear).toContain(name.slice(0, 1));
    await parties.scrollIntoViewIfNeeded();
    await screenshotPage(page, resolve(artifacts, 'accounts-reveal.png'));

    const audit = await json<{ rows: { actorName: string; detail: { disputeId?: number } }[] }>(
      '/api/audit?action=reveal-personal-data&limit=20',
    );
    expect(audit.body.rows.some((r) => r.actorName === 'town.wjc' && Number(r.detail.disputeId) === id)).toBe(true);
    expect(JSON.stringify(audit.body.rows)).not.toContain(clear.trim().slice(0, 3));
  });

  it('given the town officer, then lists, exports and other towns’ cases are limited to their town', async () => {
    const cases = await json<{ items: { townCode: string }[]; total: number }>('/api/cases?limit=200', 'town.wjc');
    expect(cases.status).toBe(200);
    expect(cases.body.items.length).toBeGreaterThan(0);
    expect(new Set(cases.body.items.map((c) => c.townCode))).toEqual(new Set([OWN_TOWN]));

    expect((await json(`/api/cases?town=${OTHER_TOWN}`, 'town.wjc')).status).toBe(404);
    const otherCase = await json<{ items: { id: number }[] }>(`/api/cases?town=${OTHER_TOWN}&limit=1`);
    const otherId = otherCase.body.items[0]?.id;
    expect(otherId).toBeDefined();
    expect((await json(`/api/disputes/${otherId}`, 'town.wjc')).status).toBe(404);
    expect((await json(`/api/disputes/${otherId}`)).status).toBe(200);

    const csv = await (await apiFetch(new URL('/api/export/disputes.csv', baseUrl), {}, 'town.wjc')).text();
    const rows = parse(csv, { bom: true, columns: true }) as { townCode: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.townCode))).toEqual(new Set([OWN_TOWN]));
  });
});
