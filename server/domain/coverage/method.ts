/**
 * How a service area is measured. Today: straight-line (great-circle) distance. A road-network method (travel
 * distance along roads, isochrones) can replace it later by answering the same question — which demand points
 * each site reaches — without touching the location model.
 */

export type ServiceAreaMethodId = 'straight_line';

export interface SitePoint {
  id: string;
  lon: number;
  lat: number;
}

export interface DemandPoint extends SitePoint {
  /** How much this point counts (1 per dispute; more for a weighted risk). */
  weight: number;
}

export interface ServiceAreaMethod {
  readonly id: ServiceAreaMethodId;
  /** For each site, the ids of the demand points within `metres` of it (sites reaching none may be absent). */
  reach(sites: readonly SitePoint[], demand: readonly DemandPoint[], metres: number): Promise<Map<string, string[]>>;
}

/** Mean Earth radius (IUGG), the sphere PostGIS and turf use for spherical distances. */
const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle (haversine) distance in metres. */
export function haversineMetres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Straight-line reach computed in memory on the sphere. The server asks PostGIS instead (geography, on the
 * spheroid, with the GiST index); this one serves pure tests and small inputs.
 */
export const straightLineInMemory: ServiceAreaMethod = {
  id: 'straight_line',
  async reach(sites, demand, metres) {
    const out = new Map<string, string[]>();
    for (const s of sites) {
      const hits = demand.filter((d) => haversineMetres(s, d) <= metres).map((d) => d.id);
      if (hits.length > 0) out.set(s.id, hits);
    }
    return out;
  },
};
