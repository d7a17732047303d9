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

const SLICE = 4 * 1024 * 1024;

/**
 * `decodeText` for large files, a few megabytes at a time with a turn of the event loop in between, so that a
 * 100 MB upload does not hold up other requests while it is decoded. Same detection, same refusal of U+FFFD.
 */
export async function decodeTextInSlices(
  bytes: Uint8Array,
  yieldNow: () => Promise<void>,
): Promise<{ text: string; encoding: TextEncodingName }> {
  const bom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const body = bom ? bytes.subarray(3) : bytes;
  const decodeAll = async (decode: (slice: Uint8Array, last: boolean) => string, as: string) => {
    const parts: string[] = [];
    for (let at = 0; at < body.length || at === 0; at += SLICE) {
      const last = at + SLICE >= body.length;
      const part = decode(body.subarray(at, at + SLICE), last);
      const bad = part.indexOf('\uFFFD');
      if (bad >= 0) checked(parts.join('') + part, as);
      parts.push(part);
      if (last) break;
      await yieldNow();
    }
    return parts.join('');
  };
  if (bom) {
    const d = new TextDecoder('utf-8');
    return { text: await decodeAll((s, last) => d.decode(s, { stream: !last }), 'utf-8'), encoding: 'utf-8-bom' };
  }
  try {
    const d = new TextDecoder('utf-8', { fatal: true });
    return { text: await decodeAll((s, last) => d.decode(s, { stream: !last }), 'utf-8'), encoding: 'utf-8' };
  } catch (err) {
    if (err instanceof DecodeError) throw err;
  }
  const d = iconv.getDecoder('gb18030');
  const text = await decodeAll(
    (s, last) => d.write(Buffer.from(s.buffer, s.byteOffset, s.byteLength)) + (last ? (d.end() ?? '') : ''),
    'GB18030',
  );
  return { text, encoding: 'gb18030' };
}
