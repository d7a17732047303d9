import { createHmac } from 'node:crypto';
import { normaliseIdNumber, normalisePhone } from './masking.js';

/**
 * Keyed hashes (HMAC-SHA256) of a party's ID-card number and phone. A plain hash of an 18-digit ID number or an
 * 11-digit phone is reversed by enumeration in minutes; with a secret key from configuration it is not, and
 * the same person is still matched across cases. The kind is part of the message so an ID and a phone never
 * collide.
 */
export function partyHash(key: string, kind: 'id' | 'phone', value: string): string {
  const canonical = kind === 'id' ? normaliseIdNumber(value) : normalisePhone(value);
  return createHmac('sha256', key).update(`${kind}:${canonical}`).digest('hex');
}
