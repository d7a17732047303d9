import { describe, expect, it } from 'vitest';
import { csvRecords, parseCsv } from '../../server/domain/ingest/csv.js';
import { validateRow } from '../../server/domain/ingest/rows.js';
import { VillageDirectory } from '../../server/domain/ingest/villages.js';

const ctx = {
  crs: 'wgs84' as const,
  defaultScreener: 'tester',
  fallbackClientId: (r: number) => `00000000-0000-4000-8000-${String(r).padStart(12, '0')}`,
};

const directory = new VillageDirectory([
  { code: '430723100001', name: '城东社区', town_code: '430723100', town_name: '澧阳街道' },
  { code: '430723101001', name: '新安村', town_code: '430723101', town_name: '小渡口镇' },
  { code: '430723102001', name: '新安村', town_code: '430723102', town_name: '梦溪镇' },
]);

describe('row validation', () => {
  it('normalises a row given in Chinese words', () => {
    const { candidate, issues } = validateRow(
      2,
      {
        village: '城东社区',
        screened_on: '2023年5月17日',
        category: '邻里纠纷',
        risk_level: '红色',
        lon: '111.7',
        lat: '29.6',
      },
      ctx,
    );
    expect(issues).toEqual([]);
    expect(candidate).toMatchObject({
      row: 2,
      screenedOn: '2023-05-17',
      items: [{ category: 'neighbour', risk_level: 'red', note: '' }],
      zeroReport: false,
      screener: 'tester',
    });
  });

  it('reports each bad field with its row', () => {
    const { candidate, issues } = validateRow(
      7,
      { village_code: '4307', screened_on: '17/05/2023', lon: 'abc', lat: '29', category: '打架', risk_level: '紫' },
      ctx,
    );
    expect(candidate).toBeNull();
    expect(issues.map((i) => [i.row, i.field])).toEqual([
      [7, 'village_code'],
      [7, 'screened_on'],
      [7, 'lon'],
      [7, 'category'],
      [7, 'risk_level'],
    ]);
  });

  it('accepts an explicit zero report and refuses a row that is neither', () => {
    expect(
      validateRow(2, { village_code: '430723100001', screened_on: '2023-05-17', zero_report: '是' }, ctx).candidate
        ?.zeroReport,
    ).toBe(true);
    expect(validateRow(2, { village_code: '430723100001', screened_on: '2023-05-17' }, ctx).issues[0]?.field).toBe(
      'category',
    );
  });

  it('converts a row-level coordinate system', () => {
    const { candidate } = validateRow(
      2,
      {
        village_code: '430723100001',
        screened_on: '2023-05-17',
        zero_report: '1',
        lon: '116.41024449916938',
        lat: '39.91640428150164',
        crs: 'gcj02',
      },
      ctx,
    );
    expect(candidate?.lon).toBeCloseTo(116.404, 4);
  });
});

describe('village resolution', () => {
  const row = (over: object) => ({
    row: 3,
    clientId: 'x',
    villageCode: null,
    villageName: null,
    townName: null,
    screenedOn: '2023-05-17',
    screener: 's',
    lon: null,
    lat: null,
    zeroReport: true,
    items: [],
    area: null,
    ...over,
  });

  it('resolves by code, by name, by name and town, and by location', () => {
    expect(directory.resolve(row({ villageCode: '430723100001' }), null).village?.townCode).toBe('430723100');
    expect(directory.resolve(row({ villageName: '城东' }), null).village?.villageCode).toBe('430723100001');
    expect(directory.resolve(row({ villageName: '新安村', townName: '梦溪' }), null).village?.villageCode).toBe(
      '430723102001',
    );
    expect(directory.resolve(row({ lon: 111.7, lat: 29.6 }), '430723101001').village?.villageCode).toBe('430723101001');
  });

  it('asks for the town when a village name is ambiguous', () => {
    const r = directory.resolve(row({ villageName: '新安村' }), null);
    expect(r.village).toBeNull();
    expect(r.issues[0]).toMatchObject({ field: 'town', reason: expect.stringContaining('小渡口镇') });
  });

  it('flags, and does not move, a named village that disagrees with its location', () => {
    const r = directory.resolve(row({ villageCode: '430723100001', lon: 111.7, lat: 29.6 }), '430723101001');
    expect(r.village).toEqual({ villageCode: '430723100001', townCode: '430723100', locationMismatch: true });
    expect(r.issues[0]).toMatchObject({ severity: 'warning', reason: expect.stringContaining('新安村') });
  });

  it('refuses a row located outside every village', () => {
    expect(directory.resolve(row({ lon: 100, lat: 20 }), null).issues[0]?.field).toBe('lon,lat');
  });
});

describe('CSV parsing', () => {
  it('maps headers, keeps spreadsheet row numbers and skips empty lines', async () => {
    const t = await parseCsv(
      '村代码,排查日期,其它\r\n430723100001,2023/5/17,x\r\n\r\n430723100001,2023/5/18,y\r\n',
      10,
    );
    expect(t.records.map((r) => r.row)).toEqual([2, 4]);
    expect(t.unknownHeaders).toEqual(['其它']);
    await expect(parseCsv('foo,bar\n1,2\n', 10)).rejects.toThrow(/no known column/);
  });

  it('lets the event loop turn while a large file is parsed', async () => {
    const text = `村代码,排查日期\n${'430723100001,2023/5/17\n'.repeat(50_000)}`;
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const turnedBeforeDone = await parseCsv(text, 100_000).then(() => turned);
    expect(turnedBeforeDone).toBe(true);
  });

  it('yields records while the text is still arriving, with the same rows as parsing it whole', async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => `430723100001,2023/5/${(i % 28) + 1},"说明,${i}"`);
    const text = `村代码,排查日期,情况说明\n${lines.join('\n')}\n`;
    // The text comes in pieces cut mid-line and mid-quote; a batch arrives before the last piece is given.
    const pieces = [text.slice(0, 300_001), text.slice(300_001, 700_003), text.slice(700_003)];
    let given = 0;
    async function* arriving() {
      for (const p of pieces) {
        given++;
        yield p;
      }
    }
    const batches: { rows: number[]; given: number }[] = [];
    const header = { unknown: [] as string[] };
    for await (const b of csvRecords(arriving(), 100_000, header)) batches.push({ rows: b.map((r) => r.row), given });
    expect(batches.length).toBeGreaterThan(2);
    expect(batches[0]?.given).toBe(1);
    const whole = await parseCsv(text, 100_000);
    expect(batches.flatMap((b) => b.rows)).toEqual(whole.records.map((r) => r.row));
    expect(whole.records[39_999]?.rec).toMatchObject({ note: '说明,39999' });
  });

  it('stops at the row limit and names an unreadable line', async () => {
    async function* one(text: string) {
      yield text;
    }
    const drain = async (text: string, max: number) => {
      for await (const _ of csvRecords(one(text), max)) {
        // reading only
      }
    };
    await expect(drain(`村代码\n${'430723100001\n'.repeat(11)}`, 10)).rejects.toThrow(/more than 10 rows/);
    await expect(drain(`村代码\n${'430723100001\n'.repeat(10)}`, 10)).resolves.toBeUndefined();
    await expect(drain('村代码,情况说明\n430723100001,"ok"\n430723100001,"broken"x\n', 10)).rejects.toMatchObject({
      row: 3,
    });
    await expect(drain('', 10)).rejects.toThrow(/empty/);
  });
});
