import { useUrlParam } from '../selection/useUrlParam';

export const MIN_KM = 1;
export const MAX_KM = 20;
export const DEFAULT_KM = 5;
export const DEFAULT_SITES = 3;

const clampInt = (raw: string | null, min: number, max: number, fallback: number) => {
  const n = raw !== null && /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isFinite(n) && n >= min && n <= max ? n : fallback;
};

/** The coverage view's state, kept in the URL: reach (km), number of suggested sites, selected room. */
export function useCoverageState() {
  const [rawKm, setRawKm] = useUrlParam('reach');
  const [rawSites, setRawSites] = useUrlParam('sites');
  const [rawStation, setRawStation] = useUrlParam('station');
  const km = clampInt(rawKm, MIN_KM, MAX_KM, DEFAULT_KM);
  const sites = clampInt(rawSites, 1, 10, DEFAULT_SITES);
  const station = rawStation && /^[1-9]\d{0,9}$/.test(rawStation) ? Number(rawStation) : null;
  return {
    km,
    setKm: (v: number) => setRawKm(v === DEFAULT_KM ? null : String(v), true),
    sites,
    setSites: (v: number) => setRawSites(v === DEFAULT_SITES ? null : String(v), true),
    station,
    setStation: (id: number | null) => setRawStation(id === null ? null : String(id)),
  };
}
