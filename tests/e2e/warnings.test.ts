import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Assignees, TaskItem } from '../../web/src/api/tasks';
import type { Warning, WarningCollection, WarningList } from '../../web/src/api/warnings';
import {
  apiFetch,
  clickTestId,
  closeBrowser,
  currentUrl,
  type DashboardSession,
  openDashboard,
  overlayFeatureCount,
  screenshotPage,
  waitForMapIdle,
  waitForOverlayCount,
} from './driver.js';

const baseUrl = inject('e2eBaseUrl');
const skipReason = inject('e2eSkipReason');
const artifacts = resolve(import.meta.dirname, '../artifacts');
const TOWN = '430723108';

async function api<T>(path: string, as = 'admin', body?: object): Promise<T> {
  const response = await apiFetch(
    new URL(path, baseUrl),
    body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {},
    as,
  );
  expect(response.status, path).toBe(body ? 201 : 200);
  return (await response.json()) as T;
}

type MapHook = {
  project: (p: [number, number]) => { x: number; y: number };
  unproject: (p: [number, number]) => { lng: number; lat: number };
  queryRenderedFeatures: (
    p: [number, number],
    o: { layers: string[] },
  ) => { properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } }[];
  getCanvas: () => HTMLCanvasElement;
};

/** Clicks the centre of a drawn hot-spot hexagon holding cases (the popup opens on it). */
async function clickHotCell(page: DashboardSession['page']): Promise<void> {
  const hit = await page.evaluate(() => {
    const map = (window as unknown as { __map?: MapHook }).__map;
    if (!map) throw new Error('window.__map is missing: open the dashboard with ?testHooks=1');
    const { clientWidth, clientHeight } = map.getCanvas();
    for (let y = 60; y < clientHeight - 60; y += 8) {
      for (let x = 60; x < clientWidth - 60; x += 8) {
        const f = map.queryRenderedFeatures([x, y], { layers: ['hot-fill'] })[0];
        if (!f || Number(f.properties.count) === 0 || f.geometry.type !== 'Polygon') continue;
        const ring = (f.geometry.coordinates as [number, number][][])[0] as [number, number][];
        const corners = ring.slice(0, -1);
        const lon = corners.reduce((a, c) => a + c[0], 0) / corners.length;
        const lat = corners.reduce((a, c) => a + c[1], 0) / corners.length;
        const p = map.project([lon, lat]);
        if (map.queryRenderedFeatures([p.x, p.y], { layers: ['hot-fill'] })[0]) return { x: p.x, y: p.y };
      }
    }
    throw new Error('no hot-spot cell with cases is drawn on the map');
  });
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('the map element is not visible');
  await page.mouse.click(box.x + hit.x, box.y + hit.y);
}

describe.skipIf(skipReason !== '')('early warnings on the overview and the map', () => {
  let session: DashboardSession | undefined;

  beforeAll(() => mkdirSync(artifacts, { recursive: true }));
  afterAll(async () => {
    await session?.close();
    await closeBrowser();
  });

  it("given the county administrator, the overview lists the demo's open warnings and the map draws each one", async () => {
    session = await openDashboard(baseUrl, '/?testHooks=1');
    const { page } = session;
    const open = await api<WarningList>('/api/warnings?status=open,acknowledged&limit=50');
    const layer = await api<WarningCollection>('/api/warnings?status=open,acknowledged&format=geojson');
    expect(open.total).toBeGreaterThan(50);
    await page.getByTestId('warning-item').first().waitFor();
    expect(await page.getByTestId('warning-item').count()).toBe(open.items.length);
    expect(await page.getByTestId('warnings-total').textContent()).toContain(String(open.total));
    await waitForMapIdle(page);
    await waitForOverlayCount(page, 'warnings', layer.features.length);
    // Every rule's definition, in Chinese, with the threshold in force.
    await page.getByTestId('warning-rules').locator('summary').click();
    const rules = await page.getByTestId('warning-rules').locator('dd').allTextContents();
    expect(rules).toHaveLength(8);
    expect(rules.join('\n')).toContain('24 小时');
    await screenshotPage(page, resolve(artifacts, 'warnings-overview.png'));
    expect(session.consoleErrors).toEqual([]);
  });

  it('given a rule picked, the list and the layer show only that rule, kept in the URL', async () => {
    const { page } = session as DashboardSession;
    await page.locator('.warning-chip', { hasText: '排查逾期' }).click();
    const only = await api<WarningCollection>(
      '/api/warnings?status=open,acknowledged&rule=screening_overdue&format=geojson',
    );
    expect(only.features.length).toBeGreaterThan(0);
    await waitForOverlayCount(page, 'warnings', only.features.length);
    expect((await currentUrl(page)).searchParams.get('warningRule')).toBe('screening_overdue');
    const heads = page.locator('[data-testid="warning-item"] .warning-item__head strong');
    // The list keeps the previous page on screen until the narrowed one arrives.
    await expect
      .poll(async () => new Set(await heads.allTextContents()), { timeout: 15_000 })
      .toEqual(new Set(['排查逾期']));
    await screenshotPage(page, resolve(artifacts, 'warnings-rule.png'));
  });

  it("given the town officer, only their town's warnings are listed and drawn, and one can be acknowledged", async () => {
    await session?.close();
    session = await openDashboard(baseUrl, '/?testHooks=1', undefined, 'town.wjc');
    const { page } = session;
    const mine = await api<WarningList>('/api/warnings?status=open,acknowledged&limit=50', 'town.wjc');
    const layer = await api<WarningCollection>('/api/warnings?status=open,acknowledged&format=geojson', 'town.wjc');
    expect(mine.total).toBeGreaterThan(0);
    expect(new Set(mine.items.map((w) => w.townCode))).toEqual(new Set([TOWN]));
    await page.getByTestId('warning-item').first().waitFor();
    expect(await page.getByTestId('warning-item').count()).toBe(mine.items.length);
    await waitForMapIdle(page);
    await waitForOverlayCount(page, 'warnings', layer.features.length);
    const first = page.getByTestId('warning-item').first();
    await first.getByRole('button', { name: '确认知悉' }).click();
    await first.locator('.warning-status', { hasText: '已确认' }).waitFor();
    const after = await api<WarningList>('/api/warnings?status=acknowledged&limit=50', 'town.wjc');
    expect(after.items.some((w) => w.id === mine.items[0]?.id && w.updatedBy === 'town.wjc')).toBe(true);
    await screenshotPage(page, resolve(artifacts, 'warnings-town.png'));
    expect(session.consoleErrors).toEqual([]);
  });

  // The administrator tasks a warning of another town: the officer's town keeps its demo warning (acknowledged
  // above), so the specs that follow on this shared server still find the town's overview populated.
  it('given the county administrator, a warning becomes a task from the list (the form prefilled), and leaves the open list', async () => {
    await session?.close();
    session = await openDashboard(baseUrl, '/?testHooks=1');
    const { page } = session;
    const open = await api<WarningList>('/api/warnings?status=open,acknowledged&limit=50');
    const target = open.items.find((w) => w.townCode && w.townCode !== TOWN) as Warning;
    expect(target).toBeDefined();
    const room = (await api<Assignees>(`/api/tasks/assignees?town=${target.townCode}`)).stations.find(
      (s) => s.kind === 'joint_mediation_room',
    ) as { id: number };
    const item = page.locator(`[data-testid="warning-item"][data-id="${target.id}"]`);
    await item.getByTestId('assign-task').click();
    const form = item.getByTestId('task-form');
    expect(await form.locator('h3').textContent()).toContain('交办任务');
    await form.getByTestId('task-assignee').selectOption(`station:${room.id}`);
    await screenshotPage(page, resolve(artifacts, 'warnings-to-task.png'));
    await form.getByTestId('task-submit').click();
    // Tasked, the warning is settled: it leaves the open list the panel shows by default.
    await item.waitFor({ state: 'detached', timeout: 30_000 });
    const settled = await api<Warning & { taskId: number }>(`/api/warnings/${target.id}`);
    expect(settled.status).toBe('tasked');
    expect(await api<TaskItem>(`/api/tasks/${settled.taskId}`)).toMatchObject({
      subjectKind: 'warning',
      warningId: target.id,
      townCode: target.townCode,
      status: 'assigned',
    });
    expect(session.consoleErrors).toEqual([]);
    // The officer's page again, for the hot-spot test that follows.
    await session.close();
    session = await openDashboard(baseUrl, '/?testHooks=1', undefined, 'town.wjc');
  });

  it('given the town officer on the hot spot view, a task goes out from a hot-spot cell on the map', async () => {
    const { page } = session as DashboardSession;
    await clickTestId(page, 'view-tab-hotspots');
    await waitForMapIdle(page);
    await expect.poll(() => overlayFeatureCount(page, 'hot-data'), { timeout: 60_000 }).toBeGreaterThan(0);
    await waitForMapIdle(page);
    await clickHotCell(page);
    await page.locator('.maplibregl-popup').getByTestId('cell-assign-task').click();
    const panel = page.getByTestId('cell-task');
    await panel.getByTestId('task-form').waitFor();
    expect((await currentUrl(page)).searchParams.get('cell')).toMatch(/^\d+:-?\d+:/);
    const room = (await api<Assignees>(`/api/tasks/assignees?town=${TOWN}`, 'town.wjc')).stations[0] as {
      id: number;
    };
    await panel.getByTestId('task-assignee').selectOption(`station:${room.id}`);
    await panel.getByTestId('task-action').selectOption('visit');
    await screenshotPage(page, resolve(artifacts, 'warnings-cell-task.png'));
    await panel.getByTestId('task-submit').click();
    await panel.waitFor({ state: 'detached', timeout: 30_000 });
    const tasks = await api<{ items: (TaskItem & { cellId: string; cellSize: number })[] }>(
      '/api/tasks?open=true&limit=500',
      'town.wjc',
    );
    const cell = tasks.items.find((t) => t.subjectKind === 'cell' && t.action === 'visit');
    expect(cell).toMatchObject({ townCode: TOWN, assigneeStationName: expect.any(String) });
    expect(cell?.cellSize).toBeGreaterThan(0);
    expect(session?.consoleErrors).toEqual([]);
  });

  it('given station staff, a report back carries the location picked on the map', async () => {
    await session?.close();
    const me = await api<{ stationId: number; towns: string[] }>('/api/auth/me', 'station.ln');
    const village = (
      await api<{ features: { properties: { code: string } }[] }>(
        `/api/admin-units?level=village&parent=${me.towns[0]}`,
      )
    ).features[0]?.properties.code as string;
    // A week after the data's "today", whatever the time zone of asOf.
    const asOf = Date.parse((await api<{ asOf: string }>('/api/config')).asOf);
    const dueOn = new Date(asOf + 7 * 86_400_000).toISOString().slice(0, 10);
    const created = await api<TaskItem>('/api/tasks', 'admin', {
      action: 'visit',
      subjectKind: 'village',
      villageCode: village,
      assigneeStationId: me.stationId,
      dueOn,
      clientKey: crypto.randomUUID(),
    });
    session = await openDashboard(baseUrl, '/?testHooks=1&view=tasks', undefined, 'station.ln');
    const { page } = session;
    const card = page.getByTestId(`task-${created.id}`);
    await card.getByTestId('task-move-accepted').click();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('accepted');
    await card.getByTestId('task-note').fill('已走访，双方情绪平稳');
    await waitForMapIdle(page);
    await card.getByTestId('task-location-pick').click();
    const box = await page.getByTestId('map').boundingBox();
    if (!box) throw new Error('the map element is not visible');
    const at = { x: Math.round(box.width / 2), y: Math.round(box.height / 2) };
    const picked = await page.evaluate(([x, y]) => (window as unknown as { __map: MapHook }).__map.unproject([x, y]), [
      at.x,
      at.y,
    ] as [number, number]);
    await page.mouse.click(box.x + at.x, box.y + at.y);
    const shown = async () =>
      ((await card.getByTestId('task-location-value').textContent()) ?? '').split(', ').map(Number);
    // The click's own point, within a pixel or two of the one projected before it.
    await expect.poll(async () => Math.abs((await shown())[0] as number) > 0).toBe(true);
    const [lon, lat] = (await shown()) as [number, number];
    expect(lon).toBeCloseTo(picked.lng, 3);
    expect(lat).toBeCloseTo(picked.lat, 3);
    await screenshotPage(page, resolve(artifacts, 'warnings-report-location.png'));
    await card.getByTestId('task-move-reported').click();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('reported');
    const stored = await api<TaskItem>(`/api/tasks/${created.id}`, 'station.ln');
    expect(stored.reportPoint?.[0]).toBeCloseTo(lon, 4);
    expect(stored.reportPoint?.[1]).toBeCloseTo(lat, 4);
    await card.getByTestId('task-report-point').waitFor();
    expect(session.consoleErrors).toEqual([]);
  });
});
