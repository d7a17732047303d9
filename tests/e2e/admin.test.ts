import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeBrowser, type DashboardSession, openDashboard, waitForMapIdle } from './driver.js';

const baseUrl = inject('e2eBaseUrl');
const skipReason = inject('e2eSkipReason');
const artifacts = resolve(import.meta.dirname, '../artifacts');

// The 400s this spec provokes on purpose show up as failed-resource messages in the console.
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 400/.test(e));

describe.skipIf(skipReason !== '')('administrators page', () => {
  let session: DashboardSession;
  // Unique per run: the e2e database is reused between runs.
  const run = Date.now() % 1_000_000;
  const username = `town.e2e${run}`;
  const tokenName = `e2e 导出 ${run}`;
  let token = '';

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    session = await openDashboard(baseUrl, '/', { width: 1440, height: 900 }, 'admin');
  });

  afterAll(async () => {
    await session?.close();
    await closeBrowser();
  });

  it('given the county administrator on the dashboard, when they follow the header link, then the accounts table lists the demo accounts in words', async () => {
    const { page } = session;
    await page.getByTestId('admin-link').click();
    await page.waitForURL(/\/admin$/);
    const table = page.getByTestId('accounts-table');
    await table.waitFor();
    // Town and station names arrive with their own queries: wait for them rather than read the first paint.
    const row = (username: string) => () => page.getByTestId(`account-row-${username}`).textContent();
    await expect.poll(row('town.wjc'), { timeout: 15_000 }).toMatch(/乡镇干部.*王家厂镇.*正常/);
    await expect.poll(row('screener.wjc'), { timeout: 15_000 }).toMatch(/网格员.*王家厂镇 · 3 个村/);
    await expect.poll(row('station.ln'), { timeout: 15_000 }).toMatch(/所站人员.*澧南/);
    await page.screenshot({ path: resolve(artifacts, 'admin-accounts.png'), fullPage: true });
  });

  it('when they create a town officer, then the API’s 400s show at the named field and the new account joins the table', async () => {
    const { page } = session;
    await page.getByTestId('account-new').click();
    const form = page.getByTestId('account-form');
    await form.locator('input[name="username"]').fill(username);
    await form.locator('input[name="displayName"]').fill('测试乡镇干部');
    await form.locator('select[name="role"]').selectOption('screener');
    await expect(form.locator('select[name="villageTown"]').count()).resolves.toBe(1);
    await expect(form.locator('select[name="townCode"]').count()).resolves.toBe(0);
    await form.locator('select[name="role"]').selectOption('town_officer');
    // Exactly the scope field the role needs.
    await expect(form.locator('select[name="townCode"]').count()).resolves.toBe(1);
    await expect(form.locator('select[name="stationId"]').count()).resolves.toBe(0);
    await expect(form.locator('input[name="villages"]').count()).resolves.toBe(0);

    await form.locator('input[name="password"]').fill('short');
    await page.getByTestId('account-create').click();
    await expect(page.getByTestId('account-error-password').textContent()).resolves.toMatch(/密码不符合规则.*10/);

    await form.locator('input[name="password"]').fill('Lixian-e2e-2026');
    await page.getByTestId('account-create').click();
    const townError = page.getByTestId('account-error-townCode');
    await expect(townError.textContent()).resolves.toBe('该角色需要选择范围');
    await expect(townError.getAttribute('title')).resolves.toMatch(/needs townCode/);
    await page.screenshot({ path: resolve(artifacts, 'admin-account-form.png'), fullPage: true });

    await form.locator('select[name="townCode"]').selectOption('430723108');
    await page.getByTestId('account-create').click();
    await page.getByTestId(`account-row-${username}`).waitFor();
    const row = await page.getByTestId(`account-row-${username}`).textContent();
    expect(row).toMatch(/测试乡镇干部.*乡镇干部.*王家厂镇.*正常.*从未/);
    await expect(page.getByTestId('account-message').textContent()).resolves.toContain(username);
  });

  it('when they create a screener, then they pick villages town by town and the table counts them', async () => {
    const { page } = session;
    await page.getByTestId('account-new').click();
    const form = page.getByTestId('account-form');
    await form.locator('input[name="username"]').fill(`scr.e2e${run}`);
    await form.locator('input[name="displayName"]').fill('测试网格员');
    await form.locator('select[name="role"]').selectOption('screener');
    await form.locator('select[name="villageTown"]').selectOption('430723108');
    const boxes = form.locator('input[name="villages"]');
    await boxes.first().waitFor();
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await expect(form.textContent()).resolves.toContain('已选 2 个村');
    await form.locator('input[name="password"]').fill('Screener-2026-ok');
    await page.getByTestId('account-create').click();
    const row = page.getByTestId(`account-row-scr.e2e${run}`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/网格员.*王家厂镇 · 2 个村/);
  });

  it('when they disable, enable and reset the password of the new account, then its status and the message follow', async () => {
    const { page } = session;
    const row = page.getByTestId(`account-row-${username}`);
    await row.getByRole('button', { name: '停用' }).click();
    await row.locator('.admin-badge--disabled').waitFor();
    await row.getByRole('button', { name: '启用' }).click();
    await row.locator('.admin-badge--active').waitFor();

    await row.getByRole('button', { name: '重置密码' }).click();
    const dialog = page.getByTestId('reset-form');
    await dialog.locator('input[name="password"]').fill('weak');
    await dialog.locator('button[type="submit"]').click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toMatch(/password/);
    await dialog.locator('input[name="password"]').fill('Another-Pass-2026');
    await dialog.locator('button[type="submit"]').click();
    await dialog.waitFor({ state: 'detached' });
    await expect(page.getByTestId('account-message').textContent()).resolves.toContain(username);
  });

  it('given the new account locked by repeated wrong passwords, when they unlock it, then it is active again', async () => {
    const { page } = session;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: `wrong-${i}` }),
      });
      statuses.push(r.status);
    }
    // Four wrong passwords, then the fifth locks the account (423).
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    await page.reload();
    const row = page.getByTestId(`account-row-${username}`);
    await row.locator('.admin-badge--locked').waitFor();
    await expect(row.textContent()).resolves.toContain('已锁定');
    await row.getByRole('button', { name: '解锁' }).click();
    await row.locator('.admin-badge--active').waitFor();
    await expect(row.getByRole('button', { name: '解锁' }).count()).resolves.toBe(0);
  });

  it('when they create an export token, then it is shown once with a warning and afterwards only its prefix', async () => {
    const { page } = session;
    await page.getByTestId('admin-tab-tokens').click();
    await page.getByTestId('token-new').click();
    const form = page.getByTestId('token-form');
    await form.locator('input[name="name"]').fill(tokenName);
    await form.locator('input[name="expiresInDays"]').fill('30');
    await form.locator('select[name="townCode"]').selectOption('430723108');
    await page.getByTestId('token-create').click();
    const issued = page.getByTestId('token-issued');
    await issued.waitFor();
    token = await page.getByTestId('token-secret').inputValue();
    expect(token).toMatch(/^ljm_[A-Za-z0-9_-]{40,}$/);
    await expect(issued.textContent()).resolves.toMatch(/只显示这一次|无法再次查看/);
    const row = page.locator('[data-testid^="token-row-"]', { hasText: tokenName });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(new RegExp(`${token.slice(0, 8)}….*王家厂镇.*有效`));
    await page.screenshot({ path: resolve(artifacts, 'admin-token-once.png'), fullPage: true });

    await page.getByTestId('token-done').click();
    await issued.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(token);

    // The token works for the export API (read-only), which the audit trail records under its name.
    const response = await fetch(`${baseUrl}/api/export/stations.csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
  });

  it('when they revoke a token after confirming, then it stops working', async () => {
    const { page } = session;
    const row = page.locator('[data-testid^="token-row-"]', { hasText: tokenName });
    await row.getByTestId('token-revoke').click();
    await expect(row.textContent()).resolves.toContain(`确认吊销「${tokenName}」`);
    await page.screenshot({ path: resolve(artifacts, 'admin-token-revoke.png'), fullPage: true });
    await row.getByTestId('token-revoke-yes').click();
    await row.locator('text=/已吊销/').waitFor();
    const response = await fetch(`${baseUrl}/api/export/stations.csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
  });

  it('when they open the audit log, then the account, the token and the export are there in words, newest first, and the filters narrow it', async () => {
    const { page } = session;
    await page.getByTestId('admin-tab-audit').click();
    await page.getByTestId('audit-table').waitFor();
    const actions = await page
      .getByTestId('audit-row')
      .evaluateAll((rows) => rows.map((r) => ({ action: r.getAttribute('data-action'), text: r.textContent ?? '' })));
    const created = actions.findIndex((a) => a.action === 'POST /api/accounts' && /新建账户/.test(a.text));
    const minted = actions.findIndex((a) => a.action === 'POST /api/tokens' && /新建接口令牌/.test(a.text));
    const exported = actions.findIndex((a) => a.action === 'export' && a.text.includes(tokenName));
    expect(created).toBeGreaterThanOrEqual(0);
    expect(minted).toBeGreaterThanOrEqual(0);
    expect(exported).toBeGreaterThanOrEqual(0);
    // Newest first: the export came after the token, which came after the account.
    expect(exported).toBeLessThan(minted);
    expect(minted).toBeLessThan(created);
    await page.screenshot({ path: resolve(artifacts, 'admin-audit.png'), fullPage: true });

    await page.locator('[data-testid="audit-filters"] select[name="action"]').selectOption('POST /api/tokens');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="audit-row"]')].every(
        (r) => r.getAttribute('data-action') === 'POST /api/tokens',
      ),
    );
    await page.locator('[data-testid="audit-filters"] select[name="action"]').selectOption('login');
    await page.locator('[data-testid="audit-filters"] select[name="outcome"]').selectOption('ok');
    await page.locator('[data-testid="audit-filters"] input[name="actor"]').fill('admin');
    await page.getByTestId('audit-apply').click();
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
      return rows.length > 0 && rows.every((r) => r.getAttribute('data-action') === 'login');
    });
    const first = await page.getByTestId('audit-row').first().textContent();
    expect(first).toMatch(/admin.*登录.*成功/);

    await page.locator('[data-testid="audit-filters"] input[name="actor"]').fill('nobody.here');
    await page.getByTestId('audit-apply').click();
    await page.getByTestId('audit-empty').waitFor();
    expect(unexpected(session.consoleErrors)).toEqual([]);
  });

  it('given more entries than one page, when they page back with “older”, then the next entries follow without overlap', async () => {
    const { page } = session;
    // Every write is audited, refused ones too: 51 station forms the server refuses (nothing stored) make sure
    // the filter below spans two pages.
    for (let i = 0; i < 51; i += 1) {
      const r = await page.request.post(new URL('/api/stations', baseUrl).toString(), { data: {} });
      expect(r.status()).toBe(400);
    }
    await page.locator('[data-testid="audit-filters"] input[name="actor"]').fill('admin');
    await page.locator('[data-testid="audit-filters"] select[name="outcome"]').selectOption('failed');
    await page.locator('[data-testid="audit-filters"] select[name="action"]').selectOption('POST /api/stations');
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="audit-range"]')?.textContent?.startsWith('第 1–50 条') ?? false) &&
        [...document.querySelectorAll('[data-testid="audit-row"]')].every(
          (r) => r.getAttribute('data-action') === 'POST /api/stations',
        ),
    );
    const ids = () => page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    const first = await ids();
    expect(first).toHaveLength(50);
    await page.getByTestId('audit-older').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="audit-range"]')?.textContent?.startsWith('第 51–') ?? false,
    );
    const second = await ids();
    expect(second.length).toBeGreaterThan(0);
    expect(Math.max(...second.map(Number))).toBeLessThan(Math.min(...first.map(Number)));
    await page.getByRole('button', { name: '较新' }).click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="audit-range"]')?.textContent?.startsWith('第 1–50 条') ?? false,
    );
  });

  it('given a phone-sized screen, the audit log stacks into cards', async () => {
    const { page } = session;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(new URL('/admin?tab=audit&lang=en', baseUrl).toString());
    await page.getByTestId('audit-table').waitFor();
    const header = await page.locator('.admin-table thead').isVisible();
    expect(header).toBe(false);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: resolve(artifacts, 'admin-narrow-en.png') });
  });

  it('given a town officer, then the dashboard has no admin link and the admin page says it is for administrators', async () => {
    const officer = await openDashboard(baseUrl, '/', { width: 1280, height: 800 }, 'town.wjc');
    try {
      // The map goes idle long after the header learnt who is signed in.
      await waitForMapIdle(officer.page);
      await expect(officer.page.getByTestId('admin-link').count()).resolves.toBe(0);
      await officer.page.goto(new URL('/admin', baseUrl).toString());
      await officer.page.locator('.admin-refused').waitFor();
      await expect(officer.page.getByTestId('accounts-table').count()).resolves.toBe(0);
    } finally {
      await officer.close();
    }
  });
});
