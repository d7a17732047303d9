import iconv from 'iconv-lite';

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'gb18030';

export class DecodeError extends Error {}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Decodes a text file as Chinese spreadsheets save it: UTF-8 with or without a BOM, or GBK / GB18030 without one
 * (Excel on Chinese Windows). Strict UTF-8 first: GBK bytes are almost never valid UTF-8, while valid UTF-8 read as
 * GB18030 would silently become mojibake. GB18030 is a superset of GBK, so one decoder covers both. A result that
 * still holds U+FFFD is refused rather than stored: the replacement character means data was lost.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  if (UTF8_BOM.every((b, i) => bytes[i] === b)) {
    return { text: checked(new TextDecoder('utf-8').decode(bytes.subarray(3)), 'utf-8'), encoding: 'utf-8-bom' };
  }
  try {
    return { text: checked(new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'utf-8'), encoding: 'utf-8' };
  } catch (err) {
    if (err instanceof DecodeError) throw err;
  }
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030');
  return { text: checked(text, 'GB18030'), encoding: 'gb18030' };
}

function checked(text: string, as: string): string {
  const at = text.indexOf('\uFFFD');
  if (at >= 0) {
    const line = text.slice(0, at).split('\n').length;
    throw new DecodeError(
      `line ${line}: bytes that are not valid ${as} (neither UTF-8 nor GBK/GB18030 decodes the file)`,
    );
  }
  return text;
}
