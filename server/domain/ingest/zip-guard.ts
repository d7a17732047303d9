import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  maxEntries: number;
  /** Total uncompressed bytes of all entries. */
  maxTotalBytes: number;
  /** Largest uncompressed / compressed ratio an entry may have (spreadsheet XML compresses ~10–30×). */
  maxRatio: number;
}

export class ZipBombError extends Error {}

/**
 * Checks an XLSX (a zip) before any library inflates it. exceljs loads through JSZip, which inflates every entry
 * in full, so a 40 KB file declaring gigabytes would be expanded in memory; no library in the tree caps that.
 * Written by hand: read the central directory (declared sizes, entry count, ratios), then inflate each entry with
 * `maxOutputLength` just above its declared size, so a header that lies about its size is caught after at most
 * the limit, never after full decompression.
 */
export function assertSafeZip(bytes: Buffer, limits: ZipLimits): void {
  const eocd = findEndOfCentralDirectory(bytes);
  if (eocd < 0) throw new ZipBombError('not an XLSX file (no zip directory)');
  const entries = bytes.readUInt16LE(eocd + 10);
  const dirSize = bytes.readUInt32LE(eocd + 12);
  const dirOffset = bytes.readUInt32LE(eocd + 16);
  if (entries > limits.maxEntries)
    throw new ZipBombError(`the workbook has ${entries} parts (limit ${limits.maxEntries})`);
  if (dirOffset + dirSize > bytes.length) throw new ZipBombError('not an XLSX file (truncated zip directory)');
  let total = 0;
  let p = dirOffset;
  for (let i = 0; i < entries; i++) {
    if (bytes.readUInt32LE(p) !== 0x02014b50) throw new ZipBombError('not an XLSX file (bad zip directory)');
    const method = bytes.readUInt16LE(p + 10);
    const compressed = bytes.readUInt32LE(p + 20);
    const declared = bytes.readUInt32LE(p + 24);
    const nameLength = bytes.readUInt16LE(p + 28);
    const extraLength = bytes.readUInt16LE(p + 30);
    const commentLength = bytes.readUInt16LE(p + 32);
    const localOffset = bytes.readUInt32LE(p + 42);
    const name = bytes.toString('utf8', p + 46, p + 46 + nameLength);
    total += declared;
    if (total > limits.maxTotalBytes) {
      throw new ZipBombError(`the workbook expands to more than ${limits.maxTotalBytes} bytes (the limit)`);
    }
    if (compressed > 0 && declared / compressed > limits.maxRatio) {
      throw new ZipBombError(`part ${name} expands ${Math.round(declared / compressed)}× (limit ${limits.maxRatio}×)`);
    }
    if (method === 8) {
      if (bytes.readUInt32LE(localOffset) !== 0x04034b50) throw new ZipBombError('not an XLSX file (bad zip entry)');
      const dataStart = localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
      try {
        const out = inflateRawSync(bytes.subarray(dataStart, dataStart + compressed), {
          maxOutputLength: Math.max(declared, 1),
        });
        if (out.length !== declared) throw new ZipBombError(`part ${name} does not match its declared size`);
      } catch (err) {
        if (err instanceof ZipBombError) throw err;
        throw new ZipBombError(`part ${name} expands beyond its declared size or is corrupt`);
      }
    } else if (method !== 0) {
      throw new ZipBombError(`part ${name} uses an unsupported compression method`);
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
}

function findEndOfCentralDirectory(bytes: Buffer): number {
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) return i;
  }
  return -1;
}
