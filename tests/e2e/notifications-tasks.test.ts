import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  apiFetch,
  clickTestId,
  closeBrowser,
  type DashboardSession,
  type OwnServer,
  openDashboard,
  openPhone,
  screenshotPage,
  selectOption,
  setAccountsFor,
  startOwnServer,
  textOf,
} from './driver.js';

const skipReason = inject('e2eSkipReason');
const root = resolve(import.meta.dirname, '../..');
const artifacts = resolve(root, 'tests/artifacts');
/** 王家厂镇: the demo town officer's town. */
const TOWN = '430723108';
const PASSWORD = 'Ljm-e2e-Notify-2023!';

/**
 * The daily loop of issue 16 in real Chromium: a station registers a red case → the town officer's open page
 * shows the notification without a reload (SSE) → the officer dispatches a task to the room → the room's staff
 * accepts and reports back → the officer closes it; a screener sees a re-screen task on the phone form.
 * Writes cases and accounts: the real server on a database of its own (embedded, seeded fresh).
 */
describe.skipIf(skipReason !== '')('notifications and tasks', () => {
  let server: OwnServer;
  const sessions: DashboardSession[] = [];
  const dataDir = resolve(root, '.data/e2e-notify');
  const api = async (path: string, as: string, method = 'GET', body?: unknown) => {
    const r = await apiFetch(
      `${server.baseUrl}${path}`,
      body === undefined
        ? { method }
        : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      as,
    );
    const json = await r.json();
    if (!r.ok) throw new Error(`${method} ${path} as ${as}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startOwnServer(dataDir, 'the notifications e2e server', 420_000);
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo-accounts.json'), 'utf8')) as {
      username: string;
      password: string;
    }[];
    setAccountsFor(server.baseUrl, {
      ...Object.fromEntries(demo.map((a) => [a.username, a.password])),
      'police.wjc': PASSWORD,
      'room.wjc': PASSWORD,
    });
    // The town's police station and joint mediation room each get a staff account.
    const stations = (await api(`/api/tasks/assignees?town=${TOWN}`, 'admin')) as {
      stations: { id: number; kind: string }[];
    };
    const station = (kind: string) => stations.stations.find((s) => s.kind === kind)?.id;
    for (const [username, kind, name] of [
      ['police.wjc', 'police_station', '王家厂派出所民警（测试）'],
      ['room.wjc', 'joint_mediation_room', '王家厂警司联调室调解员（测试）'],
    ] as const) {
      await api('/api/accounts', 'admin', 'POST', {
        username,
        displayName: name,
        role: 'station_staff',
        password: PASSWORD,
        stationId: station(kind),
      });
    }
  }, 480_000);

  afterAll(async () => {
    for (const s of sessions) await s.close();
    await closeBrowser();
    await server?.stop();
  });

  it('given the officer’s open page, a red case notifies it live, a task goes to the room, is reported back and closed', async () => {
    const officer = await openDashboard(server.baseUrl, `/?view=tasks`, { width: 1440, height: 900 }, 'town.wjc');
    sessions.push(officer);
    const page = officer.page;
    await page.locator('[data-testid="bell"][data-live="live"]').waitFor({ timeout: 60_000 });
    // The demo already holds unread notifications for the officer: count from the server's answer, once shown.
    const bell = (await api('/api/notifications/unread', 'town.wjc')) as { unread: number; latest: number | null };
    const before = bell.unread;
    await expect.poll(async () => Number(await textOf(page, 'bell-count')), { timeout: 30_000 }).toBe(before);

    // When the police station registers a red case in the town (no reload of the officer's page)
    const villages = (await api(`/api/admin-units?level=village&parent=${TOWN}`, 'admin')) as {
      features: { properties: { code: string } }[];
    };
    const village = villages.features[0]?.properties.code as string;
    const created = (await api('/api/disputes', 'police.wjc', 'POST', {
      category: 'land_forest',
      riskLevel: 'red',
      villageCode: village,
      summary: '宅基地界址争议，双方扬言动手',
      threat: true,
    })) as { id: number; caseNo: string };

    // Then the officer is told twice: of the new red case, and of the early warning it raises in the same write
    // (a threatened red case scores above the escalation threshold). The bell counts both, live.
    type Item = { id: number; kind: string; disputeId: number | null; caseNo: string | null };
    const fresh = async () =>
      ((await api('/api/notifications?unread=true&limit=20', 'town.wjc')) as { items: Item[] }).items.filter(
        (n) => n.id > (bell.latest ?? 0),
      );
    await expect.poll(async () => Number(await textOf(page, 'bell-count')), { timeout: 30_000 }).toBe(before + 2);
    expect((await fresh()).map((n) => n.kind).sort()).toEqual(['case.created', 'warning.raised']);
    await clickTestId(page, 'bell');
    const first = page
      .getByTestId('notification-list')
      .locator('li')
      .filter({ hasText: created.caseNo })
      .filter({ hasText: '红色' })
      .first();
    await expect.poll(() => first.count(), { timeout: 15_000 }).toBe(1);
    await screenshotPage(page, join(artifacts, 'notify-1-officer-bell.png'));

    // When the officer goes to the case and dispatches a task to the town's joint mediation room
    await first.getByTestId('notification-go').click();
    await page.getByTestId('case-detail').waitFor({ timeout: 30_000 });
    await clickTestId(page, 'assign-task');
    const room = (await api(`/api/tasks/assignees?town=${TOWN}`, 'admin')).stations.find(
      (s: { kind: string }) => s.kind === 'joint_mediation_room',
    );
    await selectOption(page, 'task-assignee', `station:${room.id}`);
    await selectOption(page, 'task-action', 'mediate');
    await screenshotPage(page, join(artifacts, 'notify-2-officer-assign.png'));
    await clickTestId(page, 'task-submit');
    await expect
      .poll(async () => ((await api('/api/tasks?open=true', 'town.wjc')) as { items: { disputeId: number }[] }).items)
      .toContainEqual(expect.objectContaining({ disputeId: created.id }));
    const task = (
      (await api('/api/tasks?open=true', 'town.wjc')) as { items: { id: number; disputeId: number }[] }
    ).items.find((t) => t.disputeId === created.id) as { id: number };

    // Then the room's staff sees it, accepts and reports back
    const staff = await openDashboard(server.baseUrl, `/?view=tasks`, { width: 1440, height: 900 }, 'room.wjc');
    sessions.push(staff);
    const card = staff.page.getByTestId(`task-${task.id}`);
    await card.waitFor({ timeout: 30_000 });
    await card.getByTestId('task-move-accepted').click();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('accepted');
    await card.getByTestId('task-note').fill('已组织双方调解，达成口头协议');
    await card.getByTestId('task-move-reported').click();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('reported');
    await screenshotPage(staff.page, join(artifacts, 'notify-3-room-reported.png'));

    // And the officer opens the tasks view, sees the report and closes the task (销号)
    await page.goto(`${server.baseUrl}/?view=tasks&town=${TOWN}`);
    const mine = page.getByTestId(`task-${task.id}`);
    await expect.poll(() => mine.getAttribute('data-status'), { timeout: 30_000 }).toBe('reported');
    expect(await mine.textContent()).toContain('已组织双方调解');
    await screenshotPage(page, join(artifacts, 'notify-4-officer-to-close.png'));
    await mine.getByTestId('task-move-closed').click();
    // Closed (销号), it leaves the open list the view shows by default.
    await mine.waitFor({ state: 'detached', timeout: 15_000 });
    const detail = (await api(`/api/tasks/${task.id}`, 'town.wjc')) as { status: string; events: { kind: string }[] };
    expect(detail.status).toBe('closed');
    expect(detail.events.map((e) => e.kind)).toEqual(['created', 'accepted', 'reported', 'closed']);
    await screenshotPage(page, join(artifacts, 'notify-5-officer-closed.png'));
    expect(officer.consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 300_000);

  it('shows a screener the re-screen task of their village on the phone form', async () => {
    const me = (await api(`/api/tasks/assignees?town=${TOWN}`, 'town.wjc')) as {
      screeners: { id: number; villages: string[] }[];
    };
    const screener = me.screeners[0] as { id: number; villages: string[] };
    const asOf = ((await (await fetch(`${server.baseUrl}/api/config`)).json()) as { asOf: string }).asOf;
    const due = new Date(Date.parse(asOf) + 8 * 3600_000 + 2 * 86_400_000).toISOString().slice(0, 10);
    await api('/api/tasks', 'town.wjc', 'POST', {
      action: 'rescreen',
      subjectKind: 'village',
      villageCode: screener.villages[0],
      assigneeAccountId: screener.id,
      dueOn: due,
      instructions: '请重新排查该村矛盾纠纷',
    });
    const phone = await openPhone(server.baseUrl, '/report', [111.7, 29.6], 'screener.wjc');
    sessions.push(phone);
    const tasks = phone.page.getByTestId('report-tasks');
    await tasks.waitFor({ timeout: 30_000 });
    expect(await tasks.textContent()).toContain('重新排查');
    await screenshotPage(phone.page, join(artifacts, 'notify-6-screener-phone.png'));
  }, 120_000);
});
