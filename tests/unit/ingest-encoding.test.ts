import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DecodeError, decodeText, decodeTextInSlices } from '../../server/domain/ingest/encoding.js';

const text = '村(社区),排查日期\n澧阳街道城东社区,2023年5月17日\n';

describe('decoding uploaded text files', () => {
  it('reads UTF-8 without a BOM', () => {
    expect(decodeText(new TextEncoder().encode(text))).toEqual({ text, encoding: 'utf-8' });
  });

  it('reads UTF-8 with a BOM and drops the BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    expect(decodeText(bytes)).toEqual({ text, encoding: 'utf-8-bom' });
  });

  it('reads GBK as Chinese Excel saves it, and GB18030-only characters', () => {
    expect(decodeText(iconv.encode(text, 'gbk'))).toEqual({ text, encoding: 'gb18030' });
    const rare = '䶮,𠀀\n';
    expect(decodeText(iconv.encode(rare, 'gb18030')).text).toBe(rare);
  });

  it('refuses bytes that neither decoding reads instead of storing U+FFFD', () => {
    const broken = Buffer.concat([iconv.encode('排查,日期\n', 'gbk'), Buffer.from([0x81, 0x20, 0x0a])]);
    expect(() => decodeText(broken)).toThrow(DecodeError);
    expect(() => decodeText(broken)).toThrow(/line 2/);
  });

  it('refuses a UTF-8 file that already carries replacement characters', () => {
    expect(() => decodeText(new TextEncoder().encode('a,\uFFFD\n'))).toThrow(DecodeError);
  });

  it('decodes a large file in slices exactly as in one go, characters split across slices included', async () => {
    // Over 4 MB (the slice size) of two-byte GBK and three-byte UTF-8, so that characters straddle slice ends.
    const big = `${'村(社区),排查日期\n澧阳街道城东社区,2023年5月17日,x\n'.repeat(120_000)}`;
    let turns = 0;
    const yieldNow = async () => {
      turns++;
    };
    for (const bytes of [
      iconv.encode(big, 'gbk'),
      new TextEncoder().encode(big),
      Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from(big)]),
    ]) {
      const sliced = await decodeTextInSlices(bytes, yieldNow);
      expect(sliced).toEqual(decodeText(bytes));
      expect(sliced.text.length).toBe(big.length);
    }
    expect(turns).toBeGreaterThan(2);
    const broken = Buffer.concat([iconv.encode(big, 'gbk'), Buffer.from([0xff, 0xff])]);
    await expect(decodeTextInSlices(broken, yieldNow)).rejects.toThrow(DecodeError);
    // The line is counted across slices: the bad bytes sit on the line after the last full one.
    await expect(decodeTextInSlices(broken, yieldNow)).rejects.toThrow(`line ${big.split('\n').length}:`);
  });
});
