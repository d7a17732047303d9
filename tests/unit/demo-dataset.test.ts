import { createHash } from 'node:crypto';
import { area, booleanClockwise, booleanPointInPolygon, booleanValid, distance, pointToLineDistance } from '@turf/turf';
import type { MultiPolygon, Position } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_CASE_NOS, type DemoDataset, generateDemoDataset } from '../../server/domain/demo/index.js';

// The demo dataset is what every screen shows first, and the article's figures are what users check it
// against. Generation takes a second or two, so it runs once for the whole file.

let data: DemoDataset;
beforeAll(() => {
  data = generateDemoDataset();
});

const hash = (d: DemoDataset) => createHash('sha256').update(JSON.stringify(d)).digest('hex');
const units = (level: string) => data.adminUnits.filter((u) => u.level === level);
const unit = (code: string) => {
  const u = data.adminUnits.find((x) => x.code === code);
  if (!u) throw new Error(`no admin unit ${code}`);
  return u;
};
const share = <T>(items: T[], pick: (item: T) => string | null) => {
  const counts = new Map<string | null, number>();
  for (const item of items) counts.set(pick(item), (counts.get(pick(item)) ?? 0) + 1);
  return (key: string | null) => (100 * (counts.get(key) ?? 0)) / items.length;
};
const countBy = <T>(items: T[], pick: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(pick(item), (counts.get(pick(item)) ?? 0) + 1);
  return counts;
};
const ms = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;
const PERIOD_START = ms('2018-01-01T00:00:00+08:00');
const PERIOD_END = ms('2023-05-17T23:59:59+08:00');

/**
 * Metres from a position to the nearest edge of a MultiPolygon. Planar, as GeoJSON and PostGIS geometry mean
 * edges: a 10 km edge followed as a great circle bows about a metre away from the straight one.
 */
function metresToOutline(p: Position, geometry: MultiPolygon): number {
  let best = Number.POSITIVE_INFINITY;
  for (const ring of geometry.coordinates.flat()) {
    const line = { type: 'LineString' as const, coordinates: ring };
    best = Math.min(best, pointToLineDistance(p, line, { units: 'meters', method: 'planar' }));
  }
  return best;
}

describe('demo dataset: the article figures', () => {
  it('has the county, 19 towns and 291 villages of Lixian', () => {
    expect(units('county').map((u) => [u.code, u.name])).toEqual([['430723', '澧县']]);
    expect(units('town')).toHaveLength(19);
    expect(units('village')).toHaveLength(291);
    expect(new Set(data.adminUnits.map((u) => u.code)).size).toBe(311);
  });

  it('found 27,013 disputes and resolved 26,014; the other 999 are still open, none failed or referred', () => {
    const statuses = countBy(data.disputes, (d) => d.status);
    expect(data.disputes).toHaveLength(27_013);
    expect(statuses.get('resolved')).toBe(26_014);
    expect((statuses.get('reported') ?? 0) + (statuses.get('accepted') ?? 0) + (statuses.get('mediating') ?? 0)).toBe(
      999,
    );
    expect(statuses.get('failed') ?? 0).toBe(0);
    expect(statuses.get('referred') ?? 0).toBe(0);
    // Most open cases are being mediated.
    expect(statuses.get('mediating') ?? 0).toBeGreaterThan(999 / 2);
  });

  it('includes the 2021-05-25 death at the 王家厂镇 health centre, mediated jointly on site', () => {
    const c = data.disputes.find((d) => d.caseNo === ARTICLE_CASE_NOS[0]);
    expect(c).toMatchObject({
      category: 'medical',
      riskLevel: 'red',
      status: 'resolved',
      channel: 'joint',
      resolutionLevel: 'town',
      townCode: '430723108',
      stationKey: 'jm-430723108',
    });
    expect(c?.reportedAt.startsWith('2021-05-25T')).toBe(true);
    expect(unit(c?.villageCode ?? '').parentCode).toBe('430723108');
    for (const words of ['大堰垱镇', '王家厂镇卫生院', '身亡', '司法所', '派出所', '法医', '达成协议', '合成数据']) {
      expect(c?.summary).toContain(words);
    }
    // Near the town seat: within 1 km of 王家厂镇's label point.
    expect(distance([c?.lon ?? 0, c?.lat ?? 0], unit('430723108').labelPoint, { units: 'kilometers' })).toBeLessThan(1);
  });

  it('includes the 2022-04-02 neighbour fight in 澧南镇, settled jointly within two days', () => {
    const c = data.disputes.find((d) => d.caseNo === ARTICLE_CASE_NOS[1]);
    expect(c).toMatchObject({
      category: 'neighbour',
      riskLevel: 'orange',
      status: 'resolved',
      channel: 'joint',
      resolutionLevel: 'town',
      townCode: '430723114',
      stationKey: 'jm-430723114',
    });
    expect(c?.reportedAt.startsWith('2022-04-02T')).toBe(true);
    expect(ms(c?.resolvedAt ?? '') - ms(c?.reportedAt ?? '')).toBeLessThanOrEqual(2 * DAY);
    expect(unit(c?.villageCode ?? '').parentCode).toBe('430723114');
    for (const words of ['羿某', '王某', '打伤', '申请调解', '司法所', '派出所', '达成协议', '合成数据']) {
      expect(c?.summary).toContain(words);
    }
  });
});

describe('demo dataset: reproducibility', () => {
  it('is the same on every run with the default seed, and different with another seed', () => {
    expect(hash(generateDemoDataset())).toBe(hash(data));
    const other = generateDemoDataset({ seed: 7 });
    expect(hash(other)).not.toBe(hash(data));
    // The figures from the article do not depend on the seed.
    expect(other.disputes).toHaveLength(27_013);
    expect(other.disputes.filter((d) => d.status === 'resolved')).toHaveLength(26_014);
  }, 30_000);
});

describe('demo dataset: geography', () => {
  it('stores every unit as a valid RFC 7946 MultiPolygon with 6-decimal coordinates', () => {
    for (const u of data.adminUnits) {
      expect(u.geometry.type, u.code).toBe('MultiPolygon');
      expect(u.geometry.coordinates.length, u.code).toBeGreaterThan(0);
      expect(booleanValid(u.geometry), u.code).toBe(true);
      for (const polygon of u.geometry.coordinates) {
        polygon.forEach((ring, i) => {
          expect(ring.length, u.code).toBeGreaterThanOrEqual(4);
          expect(ring[0], u.code).toEqual(ring[ring.length - 1]);
          // Outer rings counter-clockwise, holes clockwise.
          expect(booleanClockwise(ring), u.code).toBe(i > 0);
          for (const [x = 0, y = 0] of ring) {
            expect(Math.abs(x * 1e6 - Math.round(x * 1e6))).toBeLessThan(1e-6);
            expect(Math.abs(y * 1e6 - Math.round(y * 1e6))).toBeLessThan(1e-6);
          }
        });
      }
    }
  });

  it('puts every label point inside its unit', () => {
    for (const u of data.adminUnits) {
      expect(booleanPointInPolygon(u.labelPoint, u.geometry), u.code).toBe(true);
    }
  });

  it('keeps the county label point published with the outline', () => {
    expect(unit('430723').labelPoint).toEqual([111.758702, 29.633236]);
  });

  it('nests villages in their towns and towns in the county, up to rounding', () => {
    for (const u of [...units('town'), ...units('village')]) {
      const parent = unit(u.parentCode ?? '');
      expect(parent.level, u.code).toBe(u.level === 'town' ? 'county' : 'town');
      for (const polygon of u.geometry.coordinates) {
        for (const p of polygon[0] ?? []) {
          if (booleanPointInPolygon(p, parent.geometry)) continue;
          // A vertex outside may only be a rounded point on the parent's edge.
          expect(metresToOutline(p, parent.geometry), `${u.code} at ${p.join(',')}`).toBeLessThan(0.5);
        }
      }
    }
  });

  it('covers each town with its villages and the county with its towns', () => {
    const children = countBy(data.adminUnits, (u) => u.parentCode ?? '');
    const areas = new Map<string, number>();
    for (const u of data.adminUnits) {
      if (u.parentCode) areas.set(u.parentCode, (areas.get(u.parentCode) ?? 0) + area(u.geometry));
    }
    for (const parent of [...units('county'), ...units('town')]) {
      expect(children.get(parent.code), parent.code).toBeGreaterThan(0);
      const ratio = (areas.get(parent.code) ?? 0) / area(parent.geometry);
      expect(Math.abs(ratio - 1), parent.name).toBeLessThan(0.002);
    }
    // Lixian is about 2,075 km².
    expect(area(unit('430723').geometry) / 1e6).toBeGreaterThan(2_000);
    expect(area(unit('430723').geometry) / 1e6).toBeLessThan(2_150);
  });

  it('keeps the real names and codes: 王家厂镇 with its communities first', () => {
    expect(unit('430723108').name).toBe('王家厂镇');
    expect(unit('430723114').name).toBe('澧南镇');
    const wangjiachang = units('village').filter((v) => v.parentCode === '430723108');
    expect(wangjiachang.map((v) => v.name).slice(0, 2)).toEqual(['建设街社区', '生产街社区']);
  });
});

describe('demo dataset: stations', () => {
  const ofKind = (kind: string) => data.stations.filter((s) => s.kind === kind);
  const townCodes = () => units('town').map((t) => t.code);

  it('gives every town a police station and a judicial office inside it', () => {
    for (const kind of ['police_station', 'judicial_office']) {
      expect(
        ofKind(kind)
          .map((s) => s.townCode)
          .sort(),
      ).toEqual(townCodes().sort());
    }
    for (const s of data.stations) {
      expect(booleanPointInPolygon(s.point.coordinates, unit(s.townCode).geometry), s.key).toBe(true);
    }
    expect(data.stations.find((s) => s.key === 'ps-430723108')?.name).toBe('王家厂派出所');
    expect(data.stations.find((s) => s.key === 'jo-430723108')?.name).toBe('王家厂镇司法所');
    expect(new Set(data.stations.map((s) => s.key)).size).toBe(data.stations.length);
  });

  it('has joint mediation rooms in 15 of 19 towns, including the two the article names', () => {
    const rooms = ofKind('joint_mediation_room');
    expect(rooms).toHaveLength(15);
    expect(new Set(rooms.map((r) => r.townCode)).size).toBe(15);
    expect(rooms.map((r) => r.townCode)).toEqual(expect.arrayContaining(['430723108', '430723114']));
    expect(rooms.find((r) => r.townCode === '430723108')?.name).toBe('王家厂警司联调室');
    // The four gaps are rural towns, not the county seat's sub-districts.
    const gaps = townCodes().filter((code) => !rooms.some((r) => r.townCode === code));
    expect(gaps).toHaveLength(4);
    for (const code of gaps) expect(unit(code).name.endsWith('街道'), code).toBe(false);
  });

  it('hosts each room in its town police station and staffs it from the town judicial office', () => {
    for (const room of ofKind('joint_mediation_room')) {
      const host = data.stations.find((s) => s.key === room.hostKey);
      const staff = data.stations.find((s) => s.key === room.staffedByKey);
      expect(host?.kind).toBe('police_station');
      expect(host?.townCode).toBe(room.townCode);
      expect(staff?.kind).toBe('judicial_office');
      expect(staff?.townCode).toBe(room.townCode);
      const metres = distance(room.point.coordinates, host?.point.coordinates ?? [0, 0], { units: 'meters' });
      expect(metres).toBeGreaterThan(1);
      expect(metres).toBeLessThan(30);
      expect(room.openedOn >= '2018-01-01' && room.openedOn <= '2019-12-31', room.openedOn).toBe(true);
      expect(room.staffCount).toBeGreaterThanOrEqual(2);
      expect(room.staffCount).toBeLessThanOrEqual(4);
    }
    for (const s of ofKind('police_station')) expect(s.staffCount >= 8 && s.staffCount <= 30, s.key).toBe(true);
    for (const s of ofKind('judicial_office')) expect(s.staffCount >= 2 && s.staffCount <= 5, s.key).toBe(true);
  });

  it('places the judicial office a few hundred metres from the police station', () => {
    for (const code of townCodes()) {
      const police = data.stations.find((s) => s.key === `ps-${code}`);
      const judicial = data.stations.find((s) => s.key === `jo-${code}`);
      const metres = distance(police?.point.coordinates ?? [0, 0], judicial?.point.coordinates ?? [0, 0], {
        units: 'meters',
      });
      expect(metres, code).toBeGreaterThan(100);
      expect(metres, code).toBeLessThan(1_000);
    }
  });

  it('has three or four court tribunals', () => {
    expect(ofKind('court_tribunal').length).toBeGreaterThanOrEqual(3);
    expect(ofKind('court_tribunal').length).toBeLessThanOrEqual(4);
  });
});

describe('demo dataset: disputes', () => {
  it('locates every dispute inside the village it names, in the town it names', () => {
    const villages = new Map(units('village').map((v) => [v.code, v]));
    for (const d of data.disputes) {
      const village = villages.get(d.villageCode);
      expect(village?.parentCode, d.caseNo).toBe(d.townCode);
      if (!village || !booleanPointInPolygon([d.lon, d.lat], village.geometry)) {
        expect.fail(`${d.caseNo} at ${d.lon},${d.lat} is not inside village ${d.villageCode}`);
      }
    }
  });

  it('keeps times in China time inside the period, in lifecycle order and with plausible delays', () => {
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
    for (const d of data.disputes) {
      const reported = ms(d.reportedAt);
      expect(d.reportedAt, d.caseNo).toMatch(iso);
      expect(reported >= PERIOD_START && reported <= PERIOD_END, d.caseNo).toBe(true);
      if (d.acceptedAt !== null) {
        expect(d.acceptedAt).toMatch(iso);
        const accepted = ms(d.acceptedAt);
        expect(accepted >= reported && accepted - reported <= 3 * DAY && accepted <= PERIOD_END, d.caseNo).toBe(true);
      }
      if (d.resolvedAt !== null) {
        expect(d.resolvedAt).toMatch(iso);
        const resolved = ms(d.resolvedAt);
        const accepted = ms(d.acceptedAt ?? '');
        expect(resolved >= accepted && resolved - accepted <= 45 * DAY && resolved <= PERIOD_END, d.caseNo).toBe(true);
      }
    }
  });

  it('fills fields according to status', () => {
    for (const d of data.disputes) {
      const resolved = d.status === 'resolved';
      expect(d.resolvedAt !== null, d.caseNo).toBe(resolved);
      expect(d.resolutionLevel !== null, d.caseNo).toBe(resolved);
      expect(d.acceptedAt === null, d.caseNo).toBe(d.status === 'reported');
      if (resolved || d.status === 'mediating') expect(d.channel, d.caseNo).not.toBeNull();
      if (d.status === 'reported' || d.status === 'accepted') expect(d.channel, d.caseNo).toBeNull();
    }
  });

  it('numbers cases LX-<year>-<6 digits>, uniquely, with the year of the report', () => {
    expect(new Set(data.disputes.map((d) => d.caseNo)).size).toBe(data.disputes.length);
    for (const d of data.disputes) {
      expect(d.caseNo).toMatch(/^LX-\d{4}-\d{6}$/);
      expect(d.caseNo.slice(3, 7), d.caseNo).toBe(d.reportedAt.slice(0, 4));
    }
  });

  it('marks every summary as synthetic', () => {
    for (const d of data.disputes) {
      expect(d.summary.endsWith('（合成数据）'), d.caseNo).toBe(true);
      expect(d.summary.length).toBeGreaterThan(10);
    }
  });

  it('hands each case to its town joint room once it is open, else to the police station or judicial office', () => {
    const stations = new Map(data.stations.map((s) => [s.key, s]));
    for (const d of data.disputes) {
      const station = stations.get(d.stationKey);
      expect(station?.townCode, d.caseNo).toBe(d.townCode);
      const room = stations.get(`jm-${d.townCode}`);
      if (room && `${room.openedOn}T00:00:00+08:00` <= d.reportedAt) {
        expect(d.stationKey, d.caseNo).toBe(room.key);
      } else {
        expect(d.stationKey, d.caseNo).toBe(d.channel === 'public_security' ? `ps-${d.townCode}` : `jo-${d.townCode}`);
      }
    }
  });

  it('mixes categories and risk levels as intended (within two points)', () => {
    const category = share(data.disputes, (d) => d.category);
    const targets = {
      neighbour: 28,
      marriage_family: 18,
      land_forest: 14,
      contract_debt: 12,
      labour_wages: 8,
      traffic_accident: 6,
      property_management: 4,
      medical: 2,
      other: 8,
    };
    for (const [key, target] of Object.entries(targets)) expect(Math.abs(category(key) - target), key).toBeLessThan(2);
    const risk = share(data.disputes, (d) => d.riskLevel);
    for (const [key, target] of Object.entries({ blue: 50, yellow: 30, orange: 15, red: 5 })) {
      expect(Math.abs(risk(key) - target), key).toBeLessThan(2);
    }
  });

  it('finds property-management disputes mostly in the urban sub-districts', () => {
    const urban = new Set(
      units('town')
        .filter((t) => t.name.endsWith('街道'))
        .map((t) => t.code),
    );
    const property = data.disputes.filter((d) => d.category === 'property_management');
    expect(property.filter((d) => urban.has(d.townCode)).length / property.length).toBeGreaterThan(0.6);
  });

  it('settles mostly in the village and almost never at the county, through the intended channels', () => {
    const resolved = data.disputes.filter((d) => d.status === 'resolved');
    const level = share(resolved, (d) => d.resolutionLevel);
    expect(Math.abs(level('village') - 68)).toBeLessThan(3);
    expect(Math.abs(level('town') - 31)).toBeLessThan(3);
    expect(level('county')).toBeGreaterThan(0);
    expect(level('county')).toBeLessThan(2);
    const channel = share(resolved, (d) => d.channel);
    expect(Math.abs(channel('peoples') - 55)).toBeLessThan(3);
    expect(Math.abs(channel('public_security') - 15)).toBeLessThan(3);
    expect(Math.abs(channel('joint') - 30)).toBeLessThan(3);
  });

  it('keeps open cases mostly recent, with a tail of old ones', () => {
    const open = data.disputes.filter((d) => d.status !== 'resolved');
    const lastYear = open.filter((d) => ms(d.reportedAt) > PERIOD_END - 365 * DAY).length;
    expect(lastYear / open.length).toBeGreaterThan(0.7);
    expect(open.filter((d) => d.reportedAt < '2021-01-01').length).toBeGreaterThan(10);
  });

  it('has a few hotspot villages far above the typical village of their town', () => {
    const byVillage = countBy(data.disputes, (d) => d.villageCode);
    let hot = 0;
    for (const town of units('town')) {
      const counts = units('village')
        .filter((v) => v.parentCode === town.code)
        .map((v) => byVillage.get(v.code) ?? 0)
        .sort((a, b) => a - b);
      const median = counts[Math.floor(counts.length / 2)] ?? 0;
      hot += counts.filter((c) => c > 4 * median).length;
    }
    expect(hot).toBeGreaterThanOrEqual(3);
    expect(hot).toBeLessThanOrEqual(8);
  });

  it('grows mildly, peaks around Spring Festival, follows the farming calendar for land and office hours by day', () => {
    const byYear = countBy(data.disputes, (d) => d.reportedAt.slice(0, 4));
    expect(byYear.get('2022') ?? 0).toBeGreaterThan(byYear.get('2018') ?? 0);
    expect(byYear.get('2022') ?? 0).toBeLessThan(1.5 * (byYear.get('2018') ?? 0));
    const byMonth = countBy(data.disputes, (d) => d.reportedAt.slice(5, 7));
    const m = (k: string) => byMonth.get(k) ?? 0;
    expect((m('01') + m('02')) / 2).toBeGreaterThan(1.15 * ((m('06') + m('07') + m('08')) / 3));
    const land = countBy(
      data.disputes.filter((d) => d.category === 'land_forest'),
      (d) => d.reportedAt.slice(5, 7),
    );
    const l = (k: string) => land.get(k) ?? 0;
    expect(l('03') + l('04')).toBeGreaterThan(2 * (l('06') + l('07')));
    expect(l('09') + l('10')).toBeGreaterThan(1.5 * (l('06') + l('07')));
    const byHour = countBy(data.disputes, (d) => d.reportedAt.slice(11, 13));
    expect(byHour.get('10') ?? 0).toBeGreaterThan(10 * (byHour.get('03') ?? 0));
  });
});

describe('demo dataset: screenings', () => {
  it('canvasses every village once a month from 2022-06 to 2023-05', () => {
    expect(data.screenings).toHaveLength(291 * 12);
    const perVillageMonth = countBy(data.screenings, (s) => `${s.villageCode} ${s.screenedOn.slice(0, 7)}`);
    expect(perVillageMonth.size).toBe(291 * 12);
    for (const s of data.screenings) {
      expect(s.screenedOn >= '2022-06-01' && s.screenedOn <= '2023-05-17', s.screenedOn).toBe(true);
    }
  });

  it('mostly files zero reports; findings have one to three items', () => {
    const withItems = data.screenings.filter((s) => s.items.length > 0);
    expect(withItems.length / data.screenings.length).toBeGreaterThan(0.03);
    expect(withItems.length / data.screenings.length).toBeLessThan(0.3);
    for (const s of data.screenings) {
      expect(s.zeroReport).toBe(s.items.length === 0);
      expect(s.items.length).toBeLessThanOrEqual(3);
      for (const item of s.items) expect(item.note.endsWith('（合成数据）')).toBe(true);
    }
  });

  it('has unique UUID v4 client ids, grid-worker screeners and points inside the village', () => {
    const villages = new Map(units('village').map((v) => [v.code, v]));
    expect(new Set(data.screenings.map((s) => s.clientId)).size).toBe(data.screenings.length);
    for (const s of data.screenings) {
      expect(s.clientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(s.screener).toMatch(/^网格员[A-Z]\d{3}$/);
      const village = villages.get(s.villageCode);
      expect(village?.parentCode).toBe(s.townCode);
      if (!village || !booleanPointInPolygon([s.lon, s.lat], village.geometry)) {
        expect.fail(`screening ${s.clientId} at ${s.lon},${s.lat} is not inside village ${s.villageCode}`);
      }
    }
  });

  it('has a labelled monthly round for every screened month; most villages report in time, some are overdue', () => {
    const months = [...new Set(data.screenings.map((s) => s.screenedOn.slice(0, 7)))].sort();
    expect(data.rounds.map((r) => r.startsOn.slice(0, 7))).toEqual(months);
    const villages = units('village').length;
    for (const round of data.rounds) {
      expect(round.name).toMatch(/演示/);
      expect(round.kind).toBe('monthly');
      expect(round.dueOn.slice(0, 7)).toBe(round.startsOn.slice(0, 7));
      expect(round.dueOn > round.startsOn).toBe(true);
      // As the rounds page counts: a village has reported when a report of it is dated within the round.
      const inTime = new Set(
        data.screenings
          .filter((s) => s.screenedOn >= round.startsOn && s.screenedOn <= round.dueOn)
          .map((s) => s.villageCode),
      );
      expect(inTime.size / villages, round.name).toBeGreaterThan(0.7);
      expect(inTime.size, round.name).toBeLessThan(villages);
    }
  });
});
