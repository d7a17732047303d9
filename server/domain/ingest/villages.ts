import type { CandidateRow, RowIssue } from './rows.js';

export interface VillageEntry {
  code: string;
  name: string;
  town_code: string;
  town_name: string;
}

export interface ResolvedVillage {
  villageCode: string;
  townCode: string;
  locationMismatch: boolean;
}

/** Village names as people write them: with or without the 村 / 社区 / 居委会 suffix, spaces ignored. */
const key = (name: string) => name.replace(/\s+/g, '').replace(/(村民委员会|居民委员会|居委会|社区|村)$/, '');
const townKey = (name: string) => name.replace(/\s+/g, '').replace(/(街道办事处|街道|镇|乡)$/, '');

export class VillageDirectory {
  private byCode = new Map<string, VillageEntry>();
  private byName = new Map<string, VillageEntry[]>();

  constructor(entries: readonly VillageEntry[]) {
    for (const e of entries) {
      this.byCode.set(e.code, e);
      const k = key(e.name);
      this.byName.set(k, [...(this.byName.get(k) ?? []), e]);
    }
  }

  get(code: string): VillageEntry | undefined {
    return this.byCode.get(code);
  }

  /**
   * The row's village: by code, else by name (the town disambiguates duplicate names), else by the village
   * containing its location. A named village that disagrees with the location is kept and flagged, not moved.
   */
  resolve(c: CandidateRow, containing: string | null): { village: ResolvedVillage | null; issues: RowIssue[] } {
    const issues: RowIssue[] = [];
    const fail = (field: string, reason: string) => {
      issues.push({ row: c.row, field, reason, severity: 'error' });
      return { village: null, issues };
    };
    let named: VillageEntry | undefined;
    if (c.villageCode) {
      named = this.byCode.get(c.villageCode);
      if (!named) return fail('village_code', `"${c.villageCode}" is not a village of the county`);
    } else if (c.villageName) {
      let matches = this.byName.get(key(c.villageName)) ?? [];
      if (c.townName) matches = matches.filter((e) => townKey(e.town_name) === townKey(c.townName as string));
      if (matches.length === 0) {
        return fail('village', `no village "${c.villageName}"${c.townName ? ` in town "${c.townName}"` : ''}`);
      }
      if (matches.length > 1) {
        return fail(
          'town',
          `"${c.villageName}" exists in ${matches.map((m) => m.town_name).join(', ')}: give the town`,
        );
      }
      named = matches[0];
    }
    if (named) {
      let mismatch = false;
      if (c.lon !== null && containing !== named.code) {
        mismatch = true;
        const there = containing ? this.byCode.get(containing) : undefined;
        issues.push({
          row: c.row,
          field: 'lon,lat',
          reason: there
            ? `the location lies in ${there.town_name} ${there.name}, not in ${named.town_name} ${named.name} (kept, flagged)`
            : `the location lies outside the county, not in ${named.name} (kept, flagged)`,
          severity: 'warning',
        });
      }
      return { village: { villageCode: named.code, townCode: named.town_code, locationMismatch: mismatch }, issues };
    }
    if (!containing) {
      return fail('lon,lat', `(${c.lon?.toFixed(6)}, ${c.lat?.toFixed(6)}) is outside every village of the county`);
    }
    const entry = this.byCode.get(containing) as VillageEntry;
    return { village: { villageCode: entry.code, townCode: entry.town_code, locationMismatch: false }, issues };
  }
}
