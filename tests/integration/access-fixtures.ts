import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../server/auth/roles.js';
import { createApiToken } from '../../server/auth/tokens.js';
import { demoUsers, type TestContext } from './harness.js';
import { multipart } from './uploads-helpers.js';

/**
 * The callers and objects of the role × route × scope matrix (access-matrix.test.ts): the five demo accounts,
 * an export token for the county and one limited to a town, and an anonymous caller; in-scope and out-of-scope
 * objects for each, chosen from the database or created for the test.
 */
export const callerNames = [
  'admin',
  'leader',
  'town_officer',
  'station_staff',
  'screener',
  'export',
  'export_town',
  'anonymous',
] as const;
export type CallerName = (typeof callerNames)[number];

export interface Caller {
  name: CallerName;
  role: Role | null;
  headers: Record<string, string>;
  /** Towns the caller is limited to (null: the county). */
  towns: string[] | null;
  /** Field screeners: their villages. */
  villages: string[] | null;
  /** Station staff: their station. */
  stationId: number | null;
  /** Account username or token name: the actor the server records. */
  username: string | null;
}

export interface Fixtures {
  callers: Record<CallerName, Caller>;
  /** The town officer's town (王家厂镇) and station staff's town. */
  town: string;
  lnTown: string;
  lnStation: number;
  /** A town that is nobody's: objects there are out of every scoped caller's scope. */
  otherTown: string;
  villageIn: Record<'town' | 'ln' | 'other', string>;
  /** A screener's assigned village, and a village of the same town that is not assigned to them. */
  screenerVillage: string;
  screenerOtherVillage: string;
  /** Disputes: in the officer's town, in station staff's town, in the other town (handled elsewhere). */
  dispute: Record<'town' | 'ln' | 'other', number>;
  /** A case of station staff's station, filed in the other town (in their scope by the station rule). */
  lnCaseElsewhere: number;
  station: Record<'town' | 'other', number>;
  screening: Record<'town' | 'other', number>;
  /** Upload batches: by the screener (their village), by the admin in the other town. */
  batch: Record<'screener' | 'ln' | 'other', number>;
  round: number;
}

/** Send as a caller (its cookie or token; none for anonymous). */
export function as(ctx: TestContext, who: Caller, opts: InjectOptions): Promise<LightMyRequestResponse> {
  return ctx.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), ...who.headers } });
}

const one = async <T>(ctx: TestContext, text: string, values: unknown[] = []): Promise<T> => {
  const { rows } = await ctx.db.query<T>(text, values);
  if (!rows[0]) throw new Error(`fixture query found nothing: ${text}`);
  return rows[0];
};

/** A CSV upload of one row per village (at the village's label point), with fresh client ids. */
export async function csvFor(ctx: TestContext, villages: string[]): Promise<Buffer> {
  const lines = ['编号,村代码,排查日期,排查人,经度,纬度,零报告,隐患类别,风险等级,情况说明'];
  for (const v of villages) {
    const p = await one<{ lon: number; lat: number }>(
      ctx,
      'SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM admin_units WHERE code = $1',
      [v],
    );
    lines.push(
      `${randomUUID()},${v},2023/5/17,矩阵测试,${Number(p.lon).toFixed(6)},${Number(p.lat).toFixed(6)},否,邻里纠纷,黄色,x`,
    );
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

export async function uploadAs(ctx: TestContext, who: Caller, csv: Buffer, query = '') {
  const body = multipart('matrix.csv', csv);
  return as(ctx, who, {
    method: 'POST',
    url: `/api/uploads${query}`,
    payload: body.payload,
    headers: body.headers,
  });
}

export async function loadFixtures(ctx: TestContext): Promise<Fixtures> {
  const account = async (username: string) =>
    one<{ id: number; town_code: string | null; station_id: number | null; station_town: string | null }>(
      ctx,
      `SELECT a.id, a.town_code, a.station_id, s.town_code AS station_town
       FROM accounts a LEFT JOIN stations s ON s.id = a.station_id WHERE a.username = $1`,
      [username],
    );
  const officer = await account(demoUsers.town_officer);
  const staff = await account(demoUsers.station_staff);
  const screenerAccount = await account(demoUsers.screener);
  const town = officer.town_code as string;
  const lnTown = staff.station_town as string;
  const lnStation = Number(staff.station_id);
  const { rows: assigned } = await ctx.db.query<{ village_code: string }>(
    'SELECT village_code FROM account_villages WHERE account_id = $1 ORDER BY village_code',
    [screenerAccount.id],
  );
  const screenerVillages = assigned.map((r) => r.village_code);
  const other = await one<{ code: string }>(
    ctx,
    `SELECT town_code AS code FROM disputes WHERE town_code NOT IN ($1, $2)
     GROUP BY town_code ORDER BY count(*) DESC LIMIT 1`,
    [town, lnTown],
  );
  const otherTown = other.code;
  const villageOf = async (t: string) =>
    (
      await one<{ code: string }>(
        ctx,
        `SELECT code FROM admin_units WHERE level = 'village' AND parent_code = $1 ORDER BY code LIMIT 1`,
        [t],
      )
    ).code;
  const screenerOtherVillage = (
    await one<{ code: string }>(
      ctx,
      `SELECT code FROM admin_units WHERE level = 'village' AND parent_code = $1 AND NOT (code = ANY ($2::text[]))
       ORDER BY code LIMIT 1`,
      [town, screenerVillages],
    )
  ).code;
  const disputeIn = async (t: string) =>
    Number(
      (
        await one<{ id: number }>(
          ctx,
          'SELECT id FROM disputes WHERE town_code = $1 AND (station_id IS NULL OR station_id <> $2) ORDER BY id LIMIT 1',
          [t, lnStation],
        )
      ).id,
    );
  const stationIn = async (t: string) =>
    Number(
      (await one<{ id: number }>(ctx, 'SELECT id FROM stations WHERE town_code = $1 ORDER BY id LIMIT 1', [t])).id,
    );
  const screeningIn = async (t: string) =>
    Number(
      (await one<{ id: number }>(ctx, 'SELECT id FROM screenings WHERE town_code = $1 ORDER BY id LIMIT 1', [t])).id,
    );

  const cookie = async (role: keyof typeof demoUsers) => ({ cookie: await ctx.cookieFor(demoUsers[role]) });
  const exportToken = await createApiToken(ctx.db, {
    name: `matrix export ${randomUUID().slice(0, 8)}`,
    role: 'export_client',
  });
  const townToken = await createApiToken(ctx.db, {
    name: `matrix export ${town} ${randomUUID().slice(0, 8)}`,
    role: 'export_client',
    townCode: town,
  });
  const callers: Record<CallerName, Caller> = {
    admin: {
      name: 'admin',
      role: 'admin',
      headers: await cookie('admin'),
      towns: null,
      villages: null,
      stationId: null,
      username: demoUsers.admin,
    },
    leader: {
      name: 'leader',
      role: 'leader',
      headers: await cookie('leader'),
      towns: null,
      villages: null,
      stationId: null,
      username: demoUsers.leader,
    },
    town_officer: {
      name: 'town_officer',
      role: 'town_officer',
      headers: await cookie('town_officer'),
      towns: [town],
      villages: null,
      stationId: null,
      username: demoUsers.town_officer,
    },
    station_staff: {
      name: 'station_staff',
      role: 'station_staff',
      headers: await cookie('station_staff'),
      towns: [lnTown],
      villages: null,
      stationId: lnStation,
      username: demoUsers.station_staff,
    },
    screener: {
      name: 'screener',
      role: 'screener',
      headers: await cookie('screener'),
      towns: [...new Set(screenerVillages.map((v) => v.slice(0, 9)))],
      villages: screenerVillages,
      stationId: null,
      username: demoUsers.screener,
    },
    export: {
      name: 'export',
      role: 'export_client',
      headers: { authorization: `Bearer ${exportToken.token}` },
      towns: null,
      villages: null,
      stationId: null,
      username: null,
    },
    export_town: {
      name: 'export_town',
      role: 'export_client',
      headers: { authorization: `Bearer ${townToken.token}` },
      towns: [town],
      villages: null,
      stationId: null,
      username: null,
    },
    anonymous: {
      name: 'anonymous',
      role: null,
      headers: { cookie: '' },
      towns: null,
      villages: null,
      stationId: null,
      username: null,
    },
  };

  // Objects created for the test: a case of station staff's station filed in the other town, two upload batches
  // and a county-wide screening round.
  const elsewhere = await as(ctx, callers.admin, {
    method: 'POST',
    url: '/api/disputes',
    payload: {
      category: 'neighbour',
      riskLevel: 'blue',
      villageCode: await villageOf(otherTown),
      stationId: lnStation,
    },
  });
  if (elsewhere.statusCode !== 201) throw new Error(`fixture case: ${elsewhere.body}`);
  const mine = await uploadAs(ctx, callers.screener, await csvFor(ctx, [screenerVillages[0] as string]));
  if (mine.statusCode !== 201) throw new Error(`fixture upload: ${mine.body}`);
  const theirs = await uploadAs(ctx, callers.admin, await csvFor(ctx, [await villageOf(otherTown)]));
  if (theirs.statusCode !== 201) throw new Error(`fixture upload: ${theirs.body}`);
  const ln = await uploadAs(ctx, callers.admin, await csvFor(ctx, [await villageOf(lnTown)]));
  if (ln.statusCode !== 201) throw new Error(`fixture upload: ${ln.body}`);
  const round = await as(ctx, callers.admin, {
    method: 'POST',
    url: '/api/screening-rounds',
    payload: {
      name: `matrix ${randomUUID().slice(0, 6)}`,
      kind: 'special',
      startsOn: '2033-01-01',
      dueOn: '2033-01-31',
    },
  });
  if (round.statusCode !== 201) throw new Error(`fixture round: ${round.body}`);

  return {
    callers,
    town,
    lnTown,
    lnStation,
    otherTown,
    villageIn: { town: await villageOf(town), ln: await villageOf(lnTown), other: await villageOf(otherTown) },
    screenerVillage: screenerVillages[0] as string,
    screenerOtherVillage,
    dispute: { town: await disputeIn(town), ln: await disputeIn(lnTown), other: await disputeIn(otherTown) },
    lnCaseElsewhere: Number(elsewhere.json().id),
    station: { town: await stationIn(town), other: await stationIn(otherTown) },
    screening: { town: await screeningIn(town), other: await screeningIn(otherTown) },
    batch: { screener: Number(mine.json().id), ln: Number(ln.json().id), other: Number(theirs.json().id) },
    round: Number(round.json().id),
  };
}
