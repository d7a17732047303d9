/**
 * The only module that imports the browser library (playwright-core). Specs talk to the dashboard through
 * these functions, in the dashboard's own words, so that a change of browser tooling stays in this file.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { LAYER, POPUP_LAYERS } from '../../web/src/map/layers';
import { spawnServer } from '../spawn-server.js';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Where the browser is expected: `CHROMIUM_PATH`, else Debian's /usr/bin/chromium. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
}

export function chromiumAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return existsSync(chromiumPath(env));
}

// Headless SwiftShader WebGL: no GPU on CI machines. Playwright makes its own profile, so no --user-data-dir.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Viewport {
  width: number;
  height: number;
}

export interface DashboardSession {
  page: Page;
  /** Messages the page logged as errors, and uncaught exceptions: a clean run has none. */
  consoleErrors: string[];
  close: () => Promise<void>;
}

let browser: Browser | null = null;

export async function launchBrowser(): Promise<Browser> {
  if (!browser) {
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  }
  return browser;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = null;
}

/** Where the e2e global setup keeps the demo accounts' passwords (username → password). */
export function e2eAccountsFile(dataDir = resolvePath(import.meta.dirname, '../../.data/e2e')): string {
  return join(dataDir, 'e2e-accounts.json');
}

const accountsByOrigin = new Map<string, Record<string, string>>();

/** A spec running a server of its own tells the driver that server's demo passwords (username → password). */
export function setAccountsFor(baseUrl: string, passwords: Record<string, string>): void {
  accountsByOrigin.set(new URL(baseUrl).origin, passwords);
}

function passwordFor(baseUrl: string, username: string): string | undefined {
  const own = accountsByOrigin.get(new URL(baseUrl).origin);
  if (own) return own[username];
  return (JSON.parse(readFileSync(e2eAccountsFile(), 'utf8')) as Record<string, string>)[username];
}

const sessionCookies = new Map<string, string>();
const apiCookies = new Map<string, string>();

/**
 * Signs the browser context in as a demo account (the session cookie then rides on every request). One sign-in
 * per server and account for the whole run: later contexts get the same session cookie.
 */
export async function signIn(context: BrowserContext, baseUrl: string, username: string): Promise<void> {
  const origin = new URL(baseUrl).origin;
  const key = `${origin} ${username}`;
  let value = sessionCookies.get(key);
  if (!value) {
    const response = await context.request.post(new URL('/api/auth/login', baseUrl).toString(), {
      data: { username, password: passwordFor(baseUrl, username) },
    });
    if (!response.ok()) throw new Error(`sign-in as ${username} failed: ${response.status()} ${await response.text()}`);
    value = (await context.cookies(origin)).find((c) => c.name === 'ljm_session')?.value;
    if (!value) throw new Error(`sign-in as ${username} set no session cookie`);
    sessionCookies.set(key, value);
    apiCookies.set(key, `ljm_session=${value}`);
    return;
  }
  await context.addCookies([{ name: 'ljm_session', value, url: origin }]);
}

/** `fetch` to the dashboard's API signed in as `as` (default: the county administrator), for specs' checks. */
export async function apiFetch(url: string | URL, init: RequestInit = {}, as = 'admin'): Promise<Response> {
  const target = new URL(url);
  const key = `${target.origin} ${as}`;
  let cookie = apiCookies.get(key);
  if (!cookie) {
    const res = await fetch(new URL('/api/auth/login', target.origin), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: as, password: passwordFor(target.origin, as) }),
    });
    if (!res.ok) throw new Error(`sign-in as ${as} failed: ${res.status} ${await res.text()}`);
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    apiCookies.set(key, cookie);
    sessionCookies.set(key, cookie.replace(/^ljm_session=/, ''));
  }
  const headers = new Headers(init.headers);
  headers.set('cookie', cookie);
  return fetch(target, { ...init, headers });
}

/** Fills the sign-in page the way a person does. */
export async function signInWithForm(page: Page, username: string): Promise<void> {
  const passwords = JSON.parse(readFileSync(e2eAccountsFile(), 'utf8')) as Record<string, string>;
  await page.locator('[data-testid="login-form"] input[name="username"]').fill(username);
  await page.locator('[data-testid="login-form"] input[name="password"]').fill(passwords[username] ?? '');
  await page.locator('[data-testid="login-form"] button[type="submit"]').click();
}

/**
 * Opens the dashboard at `path` (e.g. "/?testHooks=1") in a fresh context, signed in as `as` (a demo username;
 * the county administrator by default; null: not signed in).
 */
export async function openDashboard(
  baseUrl: string,
  path = '/',
  viewport: Viewport = { width: 1440, height: 900 },
  as: string | null = 'admin',
): Promise<DashboardSession> {
  const b = await launchBrowser();
  const context: BrowserContext = await b.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });
  if (as) await signIn(context, baseUrl, as);
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(new URL(path, baseUrl).toString(), { waitUntil: 'domcontentloaded' });
  return { page, consoleErrors, close: () => context.close() };
}

/** Waits until the map has gone idle with all its data drawn (the map owner sets `data-map-idle`). */
export async function waitForMapIdle(page: Page, timeout = 60_000): Promise<void> {
  await page.locator('[data-testid="map"][data-map-idle="true"]').waitFor({ state: 'attached', timeout });
}

/** Waits for the map to start working after a change and then settle again. */
export async function waitForMapToSettle(page: Page, timeout = 60_000): Promise<void> {
  // A change flips the flag to "false" synchronously; give the app a frame to react before waiting for "true".
  await page.waitForTimeout(100);
  await waitForMapIdle(page, timeout);
}

export type KpiName = 'found' | 'resolved' | 'rate' | 'open';

export async function readKpis(page: Page): Promise<Record<KpiName, string>> {
  const read = async (name: KpiName) =>
    ((await page.getByTestId(`kpi-${name}`).textContent({ timeout: 30_000 })) ?? '').trim();
  return {
    found: await read('found'),
    resolved: await read('resolved'),
    rate: await read('rate'),
    open: await read('open'),
  };
}

/** Waits until the KPI panel shows exactly these values (they change asynchronously after a selection). */
export async function waitForKpis(page: Page, expected: Record<KpiName, string>, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (want) =>
      Object.entries(want).every(
        ([name, value]) => document.querySelector(`[data-testid="kpi-${name}"]`)?.textContent?.trim() === value,
      ),
    expected,
    { timeout },
  );
}

/**
 * PNG of the map element alone, with the HTML drawn over it (legend, controls, status) painted out in flat
 * grey: the legend's colour swatches would otherwise count as map pixels.
 */
export async function screenshotMap(page: Page, path?: string): Promise<Buffer> {
  return page.getByTestId('map').screenshot({
    mask: [page.getByTestId('legend'), page.locator('.maplibregl-ctrl')],
    maskColor: '#808080',
    ...(path ? { path } : {}),
  });
}

export async function screenshotPage(page: Page, path: string): Promise<Buffer> {
  return page.screenshot({ path });
}

type MapHook = {
  project: (p: [number, number]) => { x: number; y: number };
  queryRenderedFeatures: (
    p: [number, number],
    o: { layers: string[] },
  ) => { properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } }[];
  getCanvas: () => HTMLCanvasElement;
};

/**
 * Clicks a town on the map, near its label point, at a pixel where the town polygon is under the pointer and
 * no case or station circle is (those answer with a popup instead). Needs the page opened with
 * `?testHooks=1`, which makes the dashboard expose its map as `window.__map` to project coordinates.
 */
export async function clickTownOnMap(page: Page, code: string, near: [number, number]): Promise<void> {
  const point = await page.evaluate(
    ({ code, near, layers }) => {
      const map = (window as unknown as { __map?: MapHook }).__map;
      if (!map) throw new Error('window.__map is missing: open the dashboard with ?testHooks=1');
      const centre = map.project(near);
      const canvas = map.getCanvas();
      const { clientWidth, clientHeight } = canvas;
      const rect = canvas.getBoundingClientRect();
      // Walk a square spiral outwards from the label until a clean pixel of the town turns up.
      for (let radius = 0; radius < 200; radius += 4) {
        for (let dx = -radius; dx <= radius; dx += 4) {
          for (const dy of radius === 0 ? [0] : [-radius, radius]) {
            for (const [x, y] of [
              [centre.x + dx, centre.y + dy],
              [centre.x + dy, centre.y + dx],
            ] as [number, number][]) {
              if (x < 0 || y < 0 || x >= clientWidth || y >= clientHeight) continue;
              // Not under the legend, a popup or a control.
              if (document.elementFromPoint(rect.left + x, rect.top + y) !== canvas) continue;
              const town = map.queryRenderedFeatures([x, y], { layers: [layers.town] })[0];
              if (town?.properties.code !== code) continue;
              const around = [
                [x, y],
                [x - 8, y],
                [x + 8, y],
                [x, y - 8],
                [x, y + 8],
              ] as [number, number][];
              const busy = around.some((p) => map.queryRenderedFeatures(p, { layers: layers.points }).length);
              if (!busy) return { x, y };
            }
          }
        }
      }
      throw new Error(`no free pixel of town ${code} near its label`);
    },
    { code, near, layers: { town: LAYER.townFill, points: [...POPUP_LAYERS] } },
  );
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('the map element is not visible');
  await page.mouse.click(box.x + point.x, box.y + point.y);
}

/** Clicks one rendered open case of a town (or of the county) on the map; returns its case number. */
export async function clickDisputeOnMap(page: Page, town: string | null): Promise<string> {
  const hit = await page.evaluate(
    ({ town, layer }) => {
      const map = (window as unknown as { __map?: MapHook }).__map;
      if (!map) throw new Error('window.__map is missing: open the dashboard with ?testHooks=1');
      const { clientWidth, clientHeight } = map.getCanvas();
      for (let y = 40; y < clientHeight - 40; y += 6) {
        for (let x = 40; x < clientWidth - 40; x += 6) {
          const feature = map.queryRenderedFeatures([x, y], { layers: [layer] })[0];
          if (!feature || (town && feature.properties.townCode !== town)) continue;
          // The circle's own centre, so the click lands on it whatever its radius.
          const [lng, lat] = feature.geometry.coordinates as [number, number];
          const p = map.project([lng, lat]);
          const top = map.queryRenderedFeatures([p.x, p.y], { layers: [layer] })[0];
          if (top) return { x: p.x, y: p.y, caseNo: String(top.properties.caseNo) };
        }
      }
      throw new Error('no open case is drawn on the map');
    },
    { town, layer: LAYER.disputes },
  );
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('the map element is not visible');
  await page.mouse.click(box.x + hit.x, box.y + hit.y);
  return hit.caseNo;
}

export async function closePopup(page: Page): Promise<void> {
  await page.locator('.maplibregl-popup-close-button').click();
  await page.locator('.maplibregl-popup').waitFor({ state: 'detached', timeout: 5_000 });
}

/** Text of the open map popup, once it is shown. */
export async function popupText(page: Page): Promise<string> {
  const popup = page.locator('.maplibregl-popup');
  await popup.waitFor({ state: 'visible', timeout: 10_000 });
  return ((await popup.textContent()) ?? '').trim();
}

export async function clickTownRow(page: Page, code: string): Promise<void> {
  await page.getByTestId(`town-row-${code}`).click();
}

export async function switchLanguage(page: Page): Promise<void> {
  await page.getByTestId('lang-toggle').click();
}

export async function backToCounty(page: Page): Promise<void> {
  await page.getByTestId('back-to-county').click();
}

export async function currentUrl(page: Page): Promise<URL> {
  return new URL(page.url());
}

export async function textOf(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent({ timeout: 30_000 })) ?? '').trim();
}

export async function htmlLang(page: Page): Promise<string | null> {
  return page.evaluate(() => document.documentElement.lang);
}

export async function clickTestId(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).click({ timeout: 30_000 });
}

export async function selectOption(page: Page, testId: string, value: string): Promise<void> {
  await page.getByTestId(testId).selectOption(value);
}

/** How many features a GeoJSON source of the map holds (needs `?testHooks=1`). */
export async function overlayFeatureCount(page: Page, sourceId: string): Promise<number> {
  return page.evaluate(async (id) => {
    type Source = { getData(): Promise<{ features?: unknown[] }> };
    const source = window.__map?.getSource(id) as unknown as Source | undefined;
    if (!source) return -1;
    const data = await source.getData();
    return data.features?.length ?? 0;
  }, sourceId);
}

/** The features of `layers` drawn on the map now (needs `?testHooks=1`): properties and point coordinates. */
export async function renderedPoints(
  page: Page,
  layers: string[],
): Promise<{ properties: Record<string, unknown>; coordinates: [number, number] }[]> {
  return page.evaluate((layers) => {
    const map = (window as unknown as { __map?: { queryRenderedFeatures: (o: { layers: string[] }) => unknown[] } })
      .__map;
    if (!map) throw new Error('window.__map is missing: open the dashboard with ?testHooks=1');
    return (
      map.queryRenderedFeatures({ layers }) as {
        properties: Record<string, unknown>;
        geometry: { coordinates: [number, number] };
      }[]
    ).map((f) => ({ properties: f.properties, coordinates: f.geometry.coordinates }));
  }, layers);
}

/** Scrolls the side panel (KPIs, view panels) to a vertical offset, e.g. 0 for the top before a screenshot. */
export async function scrollSideTo(page: Page, top: number): Promise<void> {
  await page.evaluate((y) => document.querySelector('.side')?.scrollTo(0, y), top);
}

/**
 * Opens `path` as a phone would: a narrow screen, touch, and the device's GPS at `gps` [lon, lat] (WGS-84),
 * signed in as `as` (a demo username, the county administrator by default).
 */
export async function openPhone(
  baseUrl: string,
  path: string,
  gps: [number, number],
  as = 'admin',
): Promise<DashboardSession> {
  const b = await launchBrowser();
  const context: BrowserContext = await b.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    permissions: ['geolocation'],
    geolocation: { longitude: gps[0], latitude: gps[1], accuracy: 10 },
  });
  await signIn(context, baseUrl, as);
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(new URL(path, baseUrl).toString(), { waitUntil: 'domcontentloaded' });
  return { page, consoleErrors, close: () => context.close() };
}

/** Cuts or restores the page's network, as a phone losing its signal. */
export async function setOffline(page: Page, offline: boolean): Promise<void> {
  await page.context().setOffline(offline);
}

/** Waits until the page's service worker is active and controls the page (the app shell is precached then). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    for (let i = 0; i < 100 && !navigator.serviceWorker.controller; i++) await new Promise((r) => setTimeout(r, 100));
    if (!navigator.serviceWorker.controller) throw new Error('no service worker controls the page');
  });
}

/** The phone form's outbox (IndexedDB `screening-outbox`, store `entries`); [] before the form first opened it. */
export async function outboxEntries(page: Page): Promise<Record<string, unknown>[]> {
  return page.evaluate(async () => {
    // Opening a database that does not exist would create it empty, without the app's stores.
    if (!(await indexedDB.databases()).some((d) => d.name === 'screening-outbox')) return [];
    return new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const open = indexedDB.open('screening-outbox');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const req = db.transaction('entries').objectStore('entries').getAll();
        req.onsuccess = () => {
          db.close();
          resolve(req.result as Record<string, unknown>[]);
        };
        req.onerror = () => reject(req.error);
      };
    });
  });
}

/** Puts entries back into the phone form's outbox, as if their answers had been lost on the way back. */
export async function requeueOutbox(page: Page, entries: Record<string, unknown>[]): Promise<void> {
  await page.evaluate(
    (list) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('screening-outbox');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('entries', 'readwrite');
          for (const e of list) tx.objectStore('entries').put(e);
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    entries,
  );
}

/** Waits until a GeoJSON source of the map holds exactly `count` features. */
export async function waitForOverlayCount(
  page: Page,
  sourceId: string,
  count: number,
  timeout = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = -1;
  while (Date.now() < deadline) {
    last = await overlayFeatureCount(page, sourceId);
    if (last === count) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`source ${sourceId}: ${last} features after ${timeout} ms, expected ${count}`);
}

/** Forces a frame and resolves when the map is next idle (everything loaded and drawn); needs `?testHooks=1`. */
export async function waitForMapRendered(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((done) => {
        const map = window.__map;
        if (!map) return done();
        map.once('idle', () => done());
        map.triggerRepaint();
      }),
  );
}

/** Clicks the map at a longitude/latitude (needs `?testHooks=1`), e.g. to pick the place of a new case. */
export async function clickMapAt(page: Page, lngLat: [number, number]): Promise<void> {
  const point = await page.evaluate((p) => {
    const map = (window as unknown as { __map?: MapHook }).__map;
    if (!map) throw new Error('window.__map is missing: open the dashboard with ?testHooks=1');
    return map.project(p);
  }, lngLat);
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('the map element is not visible');
  await page.mouse.click(box.x + point.x, box.y + point.y);
}

/** Clicks a link or button that downloads a file and saves it at `path`; returns the suggested file name. */
export async function downloadByClick(page: Page, testId: string, path: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  await download.saveAs(path);
  return download.suggestedFilename();
}

/** The page as printed (print media): a PDF on A4 landscape, as Chromium's print dialog makes it. */
export async function printToPdf(page: Page, path: string): Promise<void> {
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path, format: 'A4', landscape: true, printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
}

/** A spec's own server (tests/spawn-server.ts) on a fresh embedded database; `stop` also removes it. */
export interface OwnServer {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * For a spec that writes (the shared e2e server's database is asserted on by others: 27,013 found): the real
 * server on a database of its own in `dataDir`, seeded fresh on its first start, whose demo passwords (kept in
 * its data directory) the driver then signs in with.
 */
export async function startOwnServer(dataDir: string, what: string, timeoutMs: number): Promise<OwnServer> {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const server = await spawnServer({ env: { DATA_DIR: dataDir }, timeoutMs, what });
  const accounts = JSON.parse(readFileSync(join(dataDir, 'demo-accounts.json'), 'utf8')) as {
    username: string;
    password: string;
  }[];
  setAccountsFor(server.base, Object.fromEntries(accounts.map((a) => [a.username, a.password])));
  return {
    baseUrl: server.base,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
