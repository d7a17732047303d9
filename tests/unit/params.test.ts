import { describe, expect, it } from 'vitest';
import { HttpError } from '../../server/plugins/errors.js';
import { parseBbox, parseDate, parseDateRange, parseList } from '../../server/routes/params.js';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof HttpError) return err.field;
    throw err;
  }
  return undefined;
}

describe('parseList', () => {
  const allowed = ['a', 'b', 'c'] as const;
  it('expands groups and removes duplicates', () => {
    expect(parseList('status', 'a,open,b', allowed, { open: ['a', 'b'] })).toEqual(['a', 'b']);
  });
  it('rejects unknown and empty values, naming the field', () => {
    expect(fieldOf(() => parseList('status', 'a,x', allowed))).toBe('status');
    expect(fieldOf(() => parseList('status', 'a,', allowed))).toBe('status');
  });
  it('leaves an absent parameter absent', () => {
    expect(parseList('status', undefined, allowed)).toBeUndefined();
  });
});

describe('parseDate and parseDateRange', () => {
  it('accepts calendar dates', () => {
    expect(parseDate('from', '2024-02-29')).toBe('2024-02-29');
  });
  it.each(['2023-02-29', '2023-13-01', '23-1-1', '2023/05/17', ''])('rejects %j', (raw) => {
    expect(fieldOf(() => parseDate('from', raw))).toBe('from');
  });
  it('rejects an inverted range on the "to" side', () => {
    expect(fieldOf(() => parseDateRange('2023-05-02', '2023-05-01'))).toBe('to');
    expect(parseDateRange('2023-05-01', '2023-05-01')).toEqual({ from: '2023-05-01', to: '2023-05-01' });
  });
});

describe('parseBbox', () => {
  it('parses four finite numbers in order', () => {
    expect(parseBbox('bbox', '111.3, 29.5,112.1,29.95')).toEqual([111.3, 29.5, 112.1, 29.95]);
  });
  it.each(['1,2,3', '1,2,3,4,5', 'a,2,3,4', '3,2,1,4', '1,4,3,2', '-181,0,0,1', '0,-91,1,1', '1,,3,4', 'NaN,1,2,3'])(
    'rejects %j',
    (raw) => {
      expect(fieldOf(() => parseBbox('bbox', raw))).toBe('bbox');
    },
  );
});
