import type { ReasonCode, ReasonParams } from './reasons.js';
import { type CandidateRow, type RowIssue, rowIssue } from './rows.js';

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
    const fail = (field: string, code: ReasonCode, params?: ReasonParams) => {
      issues.push(rowIssue(c.row, field, 'error', code, params));
      return { village: null, issues };
    };
    let named: VillageEntry | undefined;
    if (c.villageCode) {
      named = this.byCode.get(c.villageCode);
      if (!named) return fail('village_code', 'unknown_village_code', { value: c.villageCode });
    } else if (c.villageName) {
      let matches = this.byName.get(key(c.villageName)) ?? [];
      if (c.townName) matches = matches.filter((e) => townKey(e.town_name) === townKey(c.townName as string));
      if (matches.length === 0) {
        return c.townName
          ? fail('village', 'no_such_village_in_town', { village: c.villageName, town: c.townName })
          : fail('village', 'no_such_village', { village: c.villageName });
      }
      if (matches.length > 1) {
        return fail('town', 'ambiguous_village', {
          village: c.villageName,
          towns: matches.map((m) => m.town_name).join(', '),
        });
      }
      named = matches[0];
    }
    if (named) {
      let mismatch = false;
      if (c.lon !== null && containing !== named.code) {
        mismatch = true;
        const there = containing ? this.byCode.get(containing) : undefined;
        issues.push(
          there
            ? rowIssue(c.row, 'lon,lat', 'warning', 'location_elsewhere', {
                town: there.town_name,
                village: there.name,
                namedTown: named.town_name,
                namedVillage: named.name,
              })
            : rowIssue(c.row, 'lon,lat', 'warning', 'location_outside_county', { namedVillage: named.name }),
        );
      }
      return { village: { villageCode: named.code, townCode: named.town_code, locationMismatch: mismatch }, issues };
    }
    if (!containing) {
      return fail('lon,lat', 'outside_villages', {
        lon: c.lon?.toFixed(6) ?? '',
        lat: c.lat?.toFixed(6) ?? '',
      });
    }
    const entry = this.byCode.get(containing) as VillageEntry;
    return { village: { villageCode: entry.code, townCode: entry.town_code, locationMismatch: false }, issues };
  }
}
