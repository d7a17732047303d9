import ExcelJS from 'exceljs';
import { type ParsedTable, TableError, toTable } from './csv.js';
import { assertSafeZip, ZipBombError, type ZipLimits } from './zip-guard.js';

export const XLSX_LIMITS: ZipLimits = { maxEntries: 200, maxTotalBytes: 200 * 1024 * 1024, maxRatio: 200 };

/**
 * Reads the first worksheet. Formula cells give their cached result (what Excel last showed), never the
 * formula; rich text and hyperlinks give their text; dates stay Date objects for the date parser. exceljs loads
 * the whole workbook at once: the upload route runs this on a worker thread (parse-off-thread.ts).
 */
export async function parseXlsx(bytes: Buffer, maxRows: number, limits = XLSX_LIMITS): Promise<ParsedTable> {
  return toTable(await readXlsxRows(bytes, maxRows, limits), maxRows);
}

/** The first worksheet's cells, row by row, after the zip-bomb check. */
export async function readXlsxRows(bytes: Buffer, maxRows: number, limits = XLSX_LIMITS): Promise<unknown[][]> {
  try {
    assertSafeZip(bytes, limits);
  } catch (err) {
    if (err instanceof ZipBombError) throw new TableError(err.message);
    throw err;
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new TableError(`not a readable XLSX workbook: ${(err as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new TableError('the workbook has no worksheet');
  if (sheet.rowCount > maxRows + 1) throw new TableError(`more than ${maxRows} rows (the limit per upload)`);
  const rows: unknown[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: unknown[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, 1); c++) cells.push(cellValue(row.getCell(c).value));
    rows.push(cells);
  }
  return rows;
}

function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return '';
  if (v instanceof Date || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') {
    return typeof v === 'boolean' ? (v ? 'true' : 'false') : v;
  }
  if (typeof v === 'object') {
    if ('result' in v) return cellValue((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('formula' in v || 'sharedFormula' in v) return '';
    if ('richText' in v) return (v as ExcelJS.CellRichTextValue).richText.map((t) => t.text).join('');
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('error' in v) return '';
  }
  return String(v);
}
