import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { normalisePhone } from './cases/masking.js';
import { partyHash } from './cases/party-hash.js';

/**
 * Parties' personal data (names, phone numbers, ID-card numbers): encryption at rest and masking for display
 * (issue 8). Pure functions; the database side is in services/personal-data/ and db/keys.ts.
 *
 * Encryption: AES-256-GCM from node:crypto (no library needed: the primitive is in the runtime, and the only
 * code here is the envelope). Each value gets a fresh random 96-bit IV; the field name is the additional
 * authenticated data, so a ciphertext moved from the phone column into the name column does not decrypt.
 * Envelope: `pd1:<key id>:<base64url(iv ‖ tag ‖ ciphertext)>`. The key id (8 hex digits of a hash of the key)
 * names the key that encrypted a value, so a new key can be rolled in while values under the old one still read.
 */

/** A mediator's name has a field of its own, so a party's ciphertext copied into the register does not decrypt. */
export type PersonalField = 'name' | 'phone' | 'id_number' | 'mediator_name';

export interface Keyring {
  /** Encrypts new values. */
  current: { id: string; key: Buffer };
  /** Every key that may decrypt (the current one included), by key id. */
  byId: ReadonlyMap<string, Buffer>;
}

const VERSION = 'pd1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 32-byte key given as hex (64 digits) or base64 / base64url (43–44 characters); null when it is neither. */
export function parseKey(text: string): Buffer | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return b.length === 32 ? b : null;
  }
  return null;
}

export const KEY_FORMAT_MESSAGE = 'expected a 32-byte key as hex (64 digits) or base64 (44 characters)';

export function keyId(key: Buffer): string {
  return createHash('sha256').update('personal-data-key-id:').update(key).digest('hex').slice(0, 8);
}

/** A keyring that encrypts with `current` and also reads values written under `others` (older keys). */
export function makeKeyring(current: Buffer, others: readonly Buffer[] = []): Keyring {
  const byId = new Map<string, Buffer>();
  for (const k of [current, ...others]) byId.set(keyId(k), k);
  return { current: { id: keyId(current), key: current }, byId };
}

export function randomKey(): Buffer {
  return randomBytes(32);
}

export function encryptField(ring: Keyring, field: PersonalField, clear: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv);
  cipher.setAAD(Buffer.from(field));
  const ct = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
  const blob = Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url');
  return `${VERSION}:${ring.current.id}:${blob}`;
}

export class PersonalDataError extends Error {}

export function decryptField(ring: Keyring, field: PersonalField, stored: string): string {
  const [version, kid, blob] = stored.split(':');
  if (version !== VERSION || !kid || !blob) throw new PersonalDataError('not an encrypted personal data value');
  const key = ring.byId.get(kid);
  if (!key) throw new PersonalDataError(`personal data key ${kid} is not configured`);
  const raw = Buffer.from(blob, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(field));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** Two-character (compound) surnames: 欧阳娜娜 → 欧阳某, not 欧某. */
const COMPOUND_SURNAMES = new Set(
  (
    '欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 夏侯 长孙 宇文 司徒 司空 端木 独孤 南宫 西门 轩辕 ' +
    '万俟 澹台 公冶 宗政 濮阳 太史 申屠 钟离 闻人 呼延 赫连 百里 东郭 第五 公羊 左丘 谷梁 拓跋'
  ).split(' '),
);

/**
 * 王小明 → 王某, 欧阳娜娜 → 欧阳某, 买买提·艾力 → 买某 (transliterated names: the first character only),
 * John Smith → J***, a one-character name → 某.
 */
export function maskName(name: string): string {
  const t = name.trim();
  const chars = [...t];
  if (chars.length === 0) return '';
  const first = chars[0] as string;
  if (/^\p{Script=Latin}/u.test(first)) return `${first.toUpperCase()}***`;
  if (chars.length === 1) return '某';
  const two = chars.slice(0, 2).join('');
  if (chars.length >= 3 && COMPOUND_SURNAMES.has(two) && !/[·•・.]/.test(two)) return `${two}某`;
  return `${first}某`;
}

/**
 * 13812345678 → 138****5678 (also from +86 138 1234 5678); landlines with area code likewise keep three and
 * four; short numbers (7–10 digits) keep only the last two; fewer than 7 digits are all hidden.
 */
export function maskPhone(phone: string): string {
  const digits = normalisePhone(phone);
  if (digits.length < 7) return '*'.repeat(digits.length);
  if (digits.length < 11) return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/**
 * 18-digit ID 430723199001011234 → 430723********1234 (region kept, birth date hidden); 15-digit old ID
 * 430723900101123 → 430723******123 (the whole YYMMDD birth date hidden); anything else keeps two at each end.
 */
export function maskIdNumber(id: string): string {
  const v = id.replace(/\s/g, '').toUpperCase();
  if (v.length === 18) return `${v.slice(0, 6)}${'*'.repeat(8)}${v.slice(-4)}`;
  if (v.length === 15) return `${v.slice(0, 6)}${'*'.repeat(6)}${v.slice(-3)}`;
  if (v.length < 8) return '*'.repeat(v.length);
  return `${v.slice(0, 2)}${'*'.repeat(v.length - 4)}${v.slice(-2)}`;
}

export interface PartyInput {
  role: 'applicant' | 'respondent' | 'other';
  name: string;
  phone?: string | undefined;
  idNumber?: string | undefined;
}

export interface PartyClear {
  id: number;
  role: PartyInput['role'];
  name: string;
  phone: string | null;
  idNumber: string | null;
}

/** A party as stored: ciphertexts only. */
export interface StoredParty {
  id: string | number;
  role: PartyInput['role'];
  name_enc: string;
  phone_enc: string | null;
  id_number_enc: string | null;
}

/** Column values of one party: ciphertexts and the keyed hashes that match the same person across cases. */
export function partyColumns(ring: Keyring, hashKey: string, p: PartyInput) {
  return {
    role: p.role,
    name_enc: encryptField(ring, 'name', p.name),
    phone_enc: p.phone ? encryptField(ring, 'phone', p.phone) : null,
    id_number_enc: p.idNumber ? encryptField(ring, 'id_number', p.idNumber) : null,
    phone_hash: p.phone ? partyHash(hashKey, 'phone', p.phone) : null,
    id_number_hash: p.idNumber ? partyHash(hashKey, 'id', p.idNumber) : null,
  };
}

export function decryptParty(ring: Keyring, r: StoredParty): PartyClear {
  return {
    id: Number(r.id),
    role: r.role,
    name: decryptField(ring, 'name', r.name_enc),
    phone: r.phone_enc ? decryptField(ring, 'phone', r.phone_enc) : null,
    idNumber: r.id_number_enc ? decryptField(ring, 'id_number', r.id_number_enc) : null,
  };
}

export function maskParty(p: PartyClear): PartyClear {
  return {
    id: p.id,
    role: p.role,
    name: maskName(p.name),
    phone: p.phone === null ? null : maskPhone(p.phone),
    idNumber: p.idNumber === null ? null : maskIdNumber(p.idNumber),
  };
}
