import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { TableError } from '../../server/domain/ingest/csv.js';
import { parseXlsx } from '../../server/domain/ingest/xlsx.js';

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('排查');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A minimal zip with one deflated entry whose central directory may lie about its size. */
function zipWith(name: string, content: Buffer, declaredSize = content.length): Buffer {
  const data = deflateRawSync(content);
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(0, 42);
  const body = Buffer.concat([local, nameBytes, data]);
  const dir = Buffer.concat([central, nameBytes]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(body.length, 16);
  return Buffer.concat([body, dir, end]);
}

describe('XLSX uploads', () => {
  it('maps headers and reads formula cells as their values, dates as dates', async () => {
    const bytes = await workbook([
      ['村代码', '排查日期', '经度', '风险等级'],
      [
        '430723100001',
        new Date(Date.UTC(2023, 4, 17)),
        { formula: '111+0.7', result: 111.7 },
        { richText: [{ text: '红' }] },
      ],
    ]);
    const t = await parseXlsx(bytes, 10);
    expect(t.records).toEqual([
      {
        row: 2,
        rec: {
          village_code: '430723100001',
          screened_on: new Date(Date.UTC(2023, 4, 17)),
          lon: 111.7,
          risk_level: '红',
        },
      },
    ]);
  });

  it('rejects a zip bomb before inflating it (declared ratio)', async () => {
    const bomb = zipWith('xl/worksheets/sheet1.xml', Buffer.alloc(20 * 1024 * 1024, 0x41));
    await expect(parseXlsx(bomb, 10)).rejects.toThrow(/expands \d+×/);
  });

  it('rejects an entry that lies about its size, inflating no more than it declared', async () => {
    const liar = zipWith('xl/worksheets/sheet1.xml', Buffer.alloc(64 * 1024, 0x41), 100);
    await expect(parseXlsx(liar, 10, { maxEntries: 10, maxTotalBytes: 1e9, maxRatio: 1e9 })).rejects.toThrow(
      /beyond its declared size/,
    );
  });

  it('refuses what is not a workbook, and too many rows', async () => {
    await expect(parseXlsx(Buffer.from('村,日期\n'), 10)).rejects.toThrow(TableError);
    const many = await workbook([['村代码'], ...Array.from({ length: 12 }, () => ['430723100001'])]);
    await expect(parseXlsx(many, 10)).rejects.toThrow(/more than 10 rows/);
  });
});
