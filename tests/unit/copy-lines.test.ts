import { describe, expect, it } from 'vitest';
import { CopyTextDecoder, inlineParams } from '../../server/db/copy-lines.js';

/** What COPY … TO STDOUT (text format) writes for a value. */
const copyEscape = (s: string) =>
  s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');

describe('CopyTextDecoder', () => {
  const text = `{"name":"back\\\\slash \\"q\\" 中\\t"}\tx\ny\\z`;
  const wire = Buffer.from(`${copyEscape(text)}\n`);

  it.each([1, 2, 3, 7, 1000])('undoes COPY escaping whatever the chunk size (%i bytes)', (size) => {
    const d = new CopyTextDecoder();
    const parts: Buffer[] = [];
    for (let i = 0; i < wire.length; i += size) parts.push(d.push(wire.subarray(i, i + size)));
    expect(Buffer.concat(parts).toString()).toBe(`${text}\n`);
  });

  it('passes a chunk without backslashes through untouched', () => {
    const chunk = Buffer.from('{"a":1}\n');
    expect(new CopyTextDecoder().push(chunk)).toBe(chunk);
  });
});

describe('inlineParams', () => {
  it('writes values as literals, quoting strings and arrays', () => {
    expect(
      inlineParams({
        text: 'SELECT $1, $2, $3::text[], $10, $4',
        values: ["it's", 1.5, ['a', "b'"], null, 5, 6, 7, 8, 9, 'ten'],
      }),
    ).toBe(`SELECT ('it''s'), (1.5), (ARRAY['a', 'b'''])::text[], ('ten'), (NULL)`);
  });

  it('refuses values it cannot write safely', () => {
    expect(() => inlineParams({ text: 'SELECT $1', values: [{}] })).toThrow();
    expect(() => inlineParams({ text: 'SELECT $1', values: [Number.NaN] })).toThrow();
    expect(() => inlineParams({ text: 'SELECT $2', values: [1] })).toThrow();
  });
});
