import { isUtf8 } from 'node:buffer';
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

const SLICE = 1024 * 1024;

/** How a file's bytes decode: the encoding detected as `decodeText` does, without decoding the whole file first. */
export function detectEncoding(bytes: Uint8Array): TextEncodingName {
  if (UTF8_BOM.every((b, i) => bytes[i] === b)) return 'utf-8-bom';
  // isUtf8 validates in place (no string is made), so a 100 MB file is checked in milliseconds.
  return isUtf8(bytes) ? 'utf-8' : 'gb18030';
}

/**
 * The text of a file as `decodeText` reads it, in pieces of about a megabyte decoded one at a time with a turn of
 * the event loop in between: a 100 MB upload is never one string and never holds up other requests while it
 * decodes. Same detection (`detectEncoding`), same refusal of U+FFFD, naming the line where it appears.
 */
export async function* decodeSlices(
  bytes: Uint8Array,
  encoding: TextEncodingName,
  yieldNow: () => Promise<void>,
): AsyncGenerator<string> {
  const body = encoding === 'utf-8-bom' ? bytes.subarray(3) : bytes;
  const as = encoding === 'gb18030' ? 'GB18030' : 'utf-8';
  let decode: (slice: Uint8Array, last: boolean) => string;
  if (encoding === 'gb18030') {
    const d = iconv.getDecoder('gb18030');
    decode = (s, last) => d.write(Buffer.from(s.buffer, s.byteOffset, s.byteLength)) + (last ? (d.end() ?? '') : '');
  } else {
    const d = new TextDecoder('utf-8');
    decode = (s, last) => d.decode(s, { stream: !last });
  }
  let lines = 0;
  for (let at = 0; ; at += SLICE) {
    const last = at + SLICE >= body.length;
    const part = decode(body.subarray(at, at + SLICE), last);
    const bad = part.indexOf('\uFFFD');
    if (bad >= 0) {
      const line = lines + part.slice(0, bad).split('\n').length;
      throw new DecodeError(
        `line ${line}: bytes that are not valid ${as} (neither UTF-8 nor GBK/GB18030 decodes the file)`,
      );
    }
    for (let i = part.indexOf('\n'); i >= 0; i = part.indexOf('\n', i + 1)) lines++;
    yield part;
    if (last) return;
    await yieldNow();
  }
}

/** `decodeSlices` gathered into one string (for whole-document formats such as GeoJSON). */
export async function decodeTextInSlices(
  bytes: Uint8Array,
  yieldNow: () => Promise<void>,
): Promise<{ text: string; encoding: TextEncodingName }> {
  const encoding = detectEncoding(bytes);
  const parts: string[] = [];
  for await (const part of decodeSlices(bytes, encoding, yieldNow)) parts.push(part);
  return { text: parts.join(''), encoding };
}
