import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptField, type Keyring, makeKeyring, parseKey, randomKey } from '../../server/domain/personal-data.js';
import { reencryptMediators, reencryptParties } from '../../server/services/personal-data/index.js';
import { backends, openWritableApp, type TestContext } from './harness.js';

/** Key rotation (issue 8): `npm run personal-data:rekey` moves every party, and every mediator name, to the current key. */

interface Row {
  id: string;
  name_enc: string;
  phone_enc: string | null;
  id_number_enc: string | null;
}

const clear = (ring: Keyring, r: Row) => [
  decryptField(ring, 'name', r.name_enc),
  r.phone_enc && decryptField(ring, 'phone', r.phone_enc),
  r.id_number_enc && decryptField(ring, 'id_number', r.id_number_enc),
];

describe.each(backends)('re-encrypting personal data after a key rotation on %s', (backend) => {
  let ctx: TestContext;
  // A database of its own on the server: every party gets a key the shared database's app does not hold.
  beforeAll(async () => {
    ctx = await openWritableApp(backend);
  });
  afterAll(async () => ctx?.close());

  const rows = async () =>
    (
      await ctx.db.query<Row>(
        'SELECT id::text AS id, name_enc, phone_enc, id_number_enc FROM dispute_parties ORDER BY id',
      )
    ).rows;

  it('moves every party to the new key, keeps every value, and a second run has nothing left to do', async () => {
    const { rows: setting } = await ctx.db.query<{ value: string }>(
      `SELECT value FROM app_settings WHERE key = 'personal_data_key'`,
    );
    const kept = parseKey(setting[0]?.value ?? '') as Buffer;
    const before = await rows();
    expect(before.length).toBeGreaterThan(100);
    const values = before.map((r) => clear(makeKeyring(kept), r));

    const fresh = randomKey();
    const rotated = makeKeyring(fresh, [kept]);
    // Batches of 97: several transactions, the last one short.
    expect(await reencryptParties(ctx.db, rotated, 97)).toBe(before.length);

    const after = await rows();
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    for (const r of after) {
      for (const v of [r.name_enc, r.phone_enc, r.id_number_enc]) {
        if (v !== null) expect(v.startsWith(`pd1:${rotated.current.id}:`)).toBe(true);
      }
    }
    // The new key alone reads everything: the old one can be retired.
    expect(after.map((r) => clear(makeKeyring(fresh), r))).toEqual(values);
    expect(await reencryptParties(ctx.db, rotated, 97)).toBe(0);
  });

  it("moves every mediator's name to the new key (issue 18), keeps the names and the versions, once", async () => {
    const { rows: setting } = await ctx.db.query<{ value: string }>(
      `SELECT value FROM app_settings WHERE key = 'personal_data_key'`,
    );
    const kept = parseKey(setting[0]?.value ?? '') as Buffer;
    const register = async () =>
      (
        await ctx.db.query<{ id: string; name_enc: string; version: number }>(
          'SELECT id::text AS id, name_enc, version FROM mediators ORDER BY id',
        )
      ).rows;
    const before = await register();
    expect(before.length).toBeGreaterThan(50);
    const names = before.map((r) => decryptField(makeKeyring(kept), 'mediator_name', r.name_enc));
    const fresh = randomKey();
    const rotated = makeKeyring(fresh, [kept]);
    expect(await reencryptMediators(ctx.db, rotated, 41)).toBe(before.length);
    const after = await register();
    expect(after.map((r) => [r.id, r.version])).toEqual(before.map((r) => [r.id, r.version]));
    expect(after.every((r) => r.name_enc.startsWith(`pd1:${rotated.current.id}:`))).toBe(true);
    expect(after.map((r) => decryptField(makeKeyring(fresh), 'mediator_name', r.name_enc))).toEqual(names);
    expect(await reencryptMediators(ctx.db, rotated, 41)).toBe(0);
  });
});
