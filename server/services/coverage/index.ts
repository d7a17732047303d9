import type { Queryable } from '../../db/index.js';
import {
  candidateSites,
  coverageAreas,
  coverageRooms,
  coverageTowns,
  coverageVillages,
  type DemandScope,
  uncoveredDisputes,
  type VillageBy,
} from '../../db/queries/coverage.js';
import { rankByDensity } from '../../domain/coverage/density.js';
import { type SuggestedSite, suggestSites } from '../../domain/coverage/gaps.js';
import type { SitePoint } from '../../domain/coverage/method.js';
import { straightLineInDb } from './reach.js';

export type { DemandScope, VillageBy };

export const candidateKinds = ['village', 'police_station'] as const;
export type CandidateKind = (typeof candidateKinds)[number];

export const METHOD_NOTE =
  'Straight-line distance on the WGS-84 spheroid (PostGIS geography). Greedy maximal covering location: each step picks the candidate covering the most disputes still outside every room and every earlier pick.';

interface CandidateRow extends SitePoint {
  kind: CandidateKind;
  ref: string;
  name: string;
  town_code: string;
  town_name: string;
}

interface VillageProperties {
  code: string;
  name: string;
  townName: string;
  covered: boolean;
  areaKm2: number;
  disputes: number;
  openDisputes: number;
}

const bodyOf = async (db: Queryable, q: { text: string; values: unknown[] }) =>
  (await db.query<{ body: string }>(q.text, q.values)).rows[0]?.body;

/** County totals, per town and per room, as JSON text (both parts are built in SQL and spliced, not re-parsed). */
export async function coverageSummary(db: Queryable, distanceKm: number, by: VillageBy): Promise<string> {
  const metres = distanceKm * 1000;
  const towns = (await bodyOf(db, coverageTowns(metres, by))) ?? '{}';
  const rooms = (await bodyOf(db, coverageRooms(metres, by))) ?? '[]';
  return `{"distanceKm":${distanceKm},"villageBy":"${by}","method":"straight_line",${towns.slice(1, -1)},"rooms":${rooms}}`;
}

/** The rooms' service areas as GeoJSON text, or null when there is nothing to draw. */
export const serviceAreas = (db: Queryable, distanceKm: number) => bodyOf(db, coverageAreas(distanceKm * 1000));

/** The villages flagged covered or not, as GeoJSON text, or null when there are none. */
export const villageCoverage = (db: Queryable, distanceKm: number, by: VillageBy, scope: DemandScope) =>
  bodyOf(db, coverageVillages(distanceKm * 1000, by, scope));

export interface GapQuery {
  distanceKm: number;
  villageBy: VillageBy;
  scope: DemandScope;
  k: number;
  limit: number;
  kinds: readonly CandidateKind[];
}

/** The uncovered villages, ranked by disputes per km² (the first `limit`). */
async function rankedUncovered(db: Queryable, q: GapQuery) {
  const villages = JSON.parse((await villageCoverage(db, q.distanceKm, q.villageBy, q.scope)) ?? '{"features":[]}') as {
    features: { properties: VillageProperties }[];
  };
  const uncovered = villages.features.map((f) => f.properties).filter((p) => !p.covered);
  const names = new Map(uncovered.map((v) => [v.code, v]));
  const ranked = rankByDensity(uncovered.map((v) => ({ code: v.code, areaKm2: v.areaKm2, disputes: v.disputes })));
  return ranked.slice(0, q.limit).map((r) => ({
    rank: r.rank,
    code: r.code,
    name: names.get(r.code)?.name ?? '',
    townName: names.get(r.code)?.townName ?? '',
    areaKm2: r.areaKm2,
    disputes: r.disputes,
    openDisputes: names.get(r.code)?.openDisputes ?? 0,
    perKm2: Math.round(r.perKm2 * 100) / 100,
  }));
}

function siteCollection(picks: readonly SuggestedSite<CandidateRow>[]) {
  return {
    type: 'FeatureCollection',
    features: picks.map((p) => ({
      type: 'Feature',
      id: p.id,
      geometry: { type: 'Point', coordinates: [p.site.lon, p.site.lat] },
      properties: {
        rank: p.rank,
        candidate: p.id,
        kind: p.site.kind,
        ref: p.site.ref,
        name: p.site.name,
        townCode: p.site.town_code,
        townName: p.site.town_name,
        newlyCovered: p.newlyCovered,
        cumulative: p.cumulative,
      },
    })),
  };
}

/** Gap finder: the uncovered villages ranked, and `k` sites for new rooms picked greedily among the candidates. */
export async function coverageGaps(db: Queryable, q: GapQuery) {
  const metres = q.distanceKm * 1000;
  const villages = await rankedUncovered(db, q);
  const dq = uncoveredDisputes(metres, q.scope);
  const demand = (await db.query<{ id: string; lon: number; lat: number }>(dq.text, dq.values)).rows.map((d) => ({
    id: d.id,
    lon: Number(d.lon),
    lat: Number(d.lat),
    weight: 1,
  }));
  const cq = candidateSites([...q.kinds]);
  const candidates = (await db.query<CandidateRow>(cq.text, cq.values)).rows.map((c) => ({
    ...c,
    lon: Number(c.lon),
    lat: Number(c.lat),
  }));
  const picks = await suggestSites(straightLineInDb(db), candidates, demand, metres, q.k);
  return {
    distanceKm: q.distanceKm,
    villageBy: q.villageBy,
    scope: q.scope,
    method: 'straight_line',
    model: 'greedy_maximal_coverage',
    note: METHOD_NOTE,
    uncoveredDisputes: demand.length,
    candidatesConsidered: candidates.length,
    villages,
    sites: siteCollection(picks),
  };
}
