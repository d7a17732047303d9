import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import {
  decryptField,
  encryptField,
  keyId,
  makeKeyring,
  maskIdNumber,
  maskName,
  maskPhone,
  parseKey,
  randomKey,
} from '../../server/domain/personal-data.js';
import { demoParties, idCheckChar } from '../../server/domain/personal-data-demo.js';

describe('masking parties', () => {
  it.each([
    ['王小明', '王某'],
    ['王明', '王某'],
    ['欧阳娜娜', '欧阳某'],
    ['司马光', '司马某'],
    // Two characters starting like a compound surname are a surname and a given name.
    ['欧阳', '欧某'],
    ['王', '某'],
    ['  李四 ', '李某'],
    ['买买提·艾力', '买某'],
    ['John Smith', 'J***'],
    ['émile Zola', 'É***'],
    ['', ''],
  ])('name %j → %j', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it.each([
    ['13812345678', '138****5678'],
    ['+86 138-1234-5678', '138****5678'],
    ['0736-3212345', '073****2345'],
    ['3212345', '*****45'],
    ['12345', '*****'],
  ])('phone %j → %j', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it.each([
    ['430723199001011234', '430723********1234'],
    ['43072319800101002x', '430723********002X'],
    ['430723900101123', '430723******123'],
    ['A1234567', 'A1****67'],
    ['123', '***'],
  ])('ID number %j → %j', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
  });
});

describe('encryption at rest', () => {
  const ring = makeKeyring(randomKey());

  it('round-trips, with a fresh IV per value and the key id in the envelope', () => {
    const a = encryptField(ring, 'name', '王小明');
    const b = encryptField(ring, 'name', '王小明');
    expect(a).not.toBe(b);
    expect(a.startsWith(`pd1:${ring.current.id}:`)).toBe(true);
    expect(a).not.toContain('王');
    expect(decryptField(ring, 'name', a)).toBe('王小明');
  });

  it('refuses a value moved to another field, a tampered value and an unknown key', () => {
    const v = encryptField(ring, 'phone', '13812345678');
    expect(() => decryptField(ring, 'name', v)).toThrow();
    const raw = Buffer.from(v.split(':')[2] as string, 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
    expect(() => decryptField(ring, 'phone', `pd1:${ring.current.id}:${raw.toString('base64url')}`)).toThrow();
    expect(() => decryptField(makeKeyring(randomKey()), 'phone', v)).toThrow(/not configured/);
  });

  it('reads values under a previous key after rotation and writes under the new one', () => {
    const old = randomKey();
    const v = encryptField(makeKeyring(old), 'id_number', '430723199001011234');
    const rotated = makeKeyring(randomKey(), [old]);
    expect(decryptField(rotated, 'id_number', v)).toBe('430723199001011234');
    expect(encryptField(rotated, 'id_number', 'x').split(':')[1]).toBe(rotated.current.id);
    expect(rotated.current.id).not.toBe(keyId(old));
  });

  it('takes 32-byte keys as hex or base64 only', () => {
    const k = randomKey();
    expect(parseKey(k.toString('hex'))?.equals(k)).toBe(true);
    expect(parseKey(k.toString('base64'))?.equals(k)).toBe(true);
    expect(parseKey(k.toString('base64url'))?.equals(k)).toBe(true);
    expect(parseKey('short')).toBeNull();
    expect(parseKey(randomKey().toString('hex').slice(0, 62))).toBeNull();
  });

  it('validates PERSONAL_DATA_KEY in the configuration, naming it', () => {
    const k = randomKey();
    expect(loadConfig({ PERSONAL_DATA_KEY: k.toString('base64') }).personalDataKey?.equals(k)).toBe(true);
    expect(loadConfig({}).personalDataKey).toBeNull();
    expect(() => loadConfig({ PERSONAL_DATA_KEY: 'secret' })).toThrow(ConfigError);
    expect(() => loadConfig({ PERSONAL_DATA_KEY: 'secret' })).toThrow(/PERSONAL_DATA_KEY: expected a 32-byte key/);
    expect(() => loadConfig({ PERSONAL_DATA_PREVIOUS_KEYS: `${k.toString('hex')},nope` })).toThrow(
      /PERSONAL_DATA_PREVIOUS_KEYS\[1\]/,
    );
  });
});

describe('demo parties', () => {
  it('are two per case with valid, distinct ID numbers and phones', () => {
    const parties = demoParties(Array.from({ length: 20_000 }, (_, i) => `LX-${i}`));
    expect(parties).toHaveLength(40_000);
    const ids = new Set(parties.map((p) => p.party.idNumber));
    const phones = new Set(parties.map((p) => (p.party.phone as string).slice(3)));
    expect(ids.size).toBe(40_000);
    expect(phones.size).toBe(40_000);
    for (const { party } of parties.slice(0, 50)) {
      expect(party.idNumber).toMatch(/^430723(19[5-9]\d|200\d)\d{7}[0-9X]$/);
      expect(idCheckChar((party.idNumber as string).slice(0, 17))).toBe((party.idNumber as string)[17]);
    }
    // The check character of a known valid number (GB 11643 example).
    expect(idCheckChar('11010519491231002')).toBe('X');
  });
});
