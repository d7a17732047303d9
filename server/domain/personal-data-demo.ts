import { createRng, deriveSeed } from './demo/rng.js';
import type { PartyInput } from './personal-data.js';

/**
 * Synthetic parties of the demo cases (issue 8): an applicant and a respondent per case, with a plausible name,
 * mobile number and Lixian (430723) ID-card number. Every phone and ID number is distinct, so demo parties never
 * match across cases (repeat links of the demo stay those of place and category). Deterministic.
 */

const SURNAMES = [...'张李王刘陈杨赵黄周吴徐孙胡朱高林何郭马罗彭曾谭龚覃向邓熊肖汤夏宋唐易'];
const COMPOUND = ['欧阳', '司马', '诸葛', '上官'];
const GIVEN = [...'建国志强秀英桂兰春梅海军明华丽娟红霞德胜玉珍立新文华小平永刚淑芬金凤家豪子涵雨轩梓萱'];
const MOBILE_PREFIXES = ['130', '133', '135', '136', '138', '139', '150', '151', '158', '177', '180', '187', '189'];

/** GB 11643-1999 check character of the first 17 digits (ISO 7064 MOD 11-2). */
export function idCheckChar(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (weights[i] as number);
  return '10X98765432'[sum % 11] as string;
}

/**
 * Demo cases that get parties: those reported since this day (China Standard Time; the demo's last months, where
 * nearly all open cases are). Parties on all 27,013 cases would make every fresh demo load much slower.
 */
export const DEMO_PARTIES_SINCE = '2023-01-01T00:00:00+08:00';

const BIRTH_FROM = Date.UTC(1950, 0, 1);
const BIRTH_DAYS = 18_000;

export function demoParties(caseNos: readonly string[], seed = 20230517): { caseNo: string; party: PartyInput }[] {
  const rng = createRng(deriveSeed(seed, 'parties'));
  const out: { caseNo: string; party: PartyInput }[] = [];
  let n = 0;
  for (const caseNo of caseNos) {
    for (const role of ['applicant', 'respondent'] as const) {
      const surname = rng.chance(0.01) ? rng.pick(COMPOUND) : rng.pick(SURNAMES);
      const given = rng.chance(0.3) ? rng.pick(GIVEN) : `${rng.pick(GIVEN)}${rng.pick(GIVEN)}`;
      // (day, sequence) is a bijection of n: every ID number differs; the phone's last 8 digits are n as well.
      const birth = new Date(BIRTH_FROM + (n % BIRTH_DAYS) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
      const first17 = `430723${birth}${String(Math.floor(n / BIRTH_DAYS) % 1000).padStart(3, '0')}`;
      out.push({
        caseNo,
        party: {
          role,
          name: `${surname}${given}`,
          phone: `${rng.pick(MOBILE_PREFIXES)}${String(n).padStart(8, '0')}`,
          idNumber: `${first17}${idCheckChar(first17)}`,
        },
      });
      n++;
    }
  }
  return out;
}
