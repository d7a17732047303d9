/**
 * Masks parties' personal data for display (no reveal without access control, which comes with accounts):
 * 王小明 → 王某, 13812345678 → 138****5678, 430723199001011234 → 430723********1234.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  // Latin names: keep the initial only.
  if (/^[A-Za-z]/.test(chars[0] as string)) return `${chars[0]}.`;
  return `${chars[0]}某`;
}

export function maskPhone(phone: string): string {
  const digits = normalisePhone(phone);
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

export function maskIdNumber(id: string): string {
  const v = id.trim().toUpperCase();
  if (v.length < 10) return '*'.repeat(v.length);
  return `${v.slice(0, 6)}${'*'.repeat(v.length - 10)}${v.slice(-4)}`;
}

/** The canonical form hashed for matching: digits only for phones (no +86), upper-case X for ID numbers. */
export function normalisePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}

export function normaliseIdNumber(id: string): string {
  return id.replace(/\s/g, '').toUpperCase();
}
