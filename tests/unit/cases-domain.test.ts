import { describe, expect, it } from 'vitest';
import { escalationScore } from '../../server/domain/cases/escalation.js';
import { maskIdNumber, maskName, maskPhone } from '../../server/domain/cases/masking.js';
import { partyHash } from '../../server/domain/cases/party-hash.js';
import {
  allowedTransitions,
  canReopen,
  isAllowed,
  missingForTransition,
  transitions,
} from '../../server/domain/cases/state-machine.js';
import { disputeStatuses } from '../../server/domain/vocabulary.js';

describe('case state machine', () => {
  it('allows exactly the workflow of the issue', () => {
    const legal = disputeStatuses.flatMap((from) => allowedTransitions(from).map((to) => `${from}>${to}`));
    expect(legal.sort()).toEqual(
      [
        'reported>accepted',
        'reported>referred',
        'accepted>mediating',
        'accepted>referred',
        'mediating>resolved',
        'mediating>failed',
        'failed>referred',
      ].sort(),
    );
  });

  it('never goes back or skips mediation', () => {
    expect(isAllowed('resolved', 'mediating')).toBe(false);
    expect(isAllowed('reported', 'resolved')).toBe(false);
    expect(isAllowed('accepted', 'resolved')).toBe(false);
    expect(isAllowed('referred', 'reported')).toBe(false);
    for (const from of disputeStatuses) expect(isAllowed(from, from)).toBe(false);
  });

  it('final states have no way out; only a resolved case reopens', () => {
    expect(transitions.resolved).toEqual([]);
    expect(transitions.referred).toEqual([]);
    expect(disputeStatuses.filter(canReopen)).toEqual(['resolved']);
  });

  it('asks for the level of a resolution and the kind of a referral', () => {
    expect(missingForTransition({ to: 'resolved' })?.field).toBe('level');
    expect(missingForTransition({ to: 'resolved', resolutionLevel: 'village' })).toBeNull();
    expect(missingForTransition({ to: 'referred' })?.field).toBe('referralKind');
    expect(missingForTransition({ to: 'accepted', referralKind: 'litigation' })?.field).toBe('referralKind');
  });
});

describe('masking parties', () => {
  it('masks names, phones and ID-card numbers as the register shows them', () => {
    expect(maskName('王小明')).toBe('王某');
    expect(maskName('欧阳娜娜')).toBe('欧某');
    expect(maskName('Li Lei')).toBe('L.');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
    expect(maskIdNumber('430723199001011234')).toBe('430723********1234');
    expect(maskIdNumber('43072319900101123x')).toBe('430723********123X');
    expect(maskPhone('123')).toBe('***');
  });
});

describe('party hash', () => {
  it('is keyed: another key gives another hash; the same person matches across spellings', () => {
    const a = partyHash('k'.repeat(32), 'phone', '13812345678');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(partyHash('k'.repeat(32), 'phone', '+86 138-1234-5678')).toBe(a);
    expect(partyHash('j'.repeat(32), 'phone', '13812345678')).not.toBe(a);
    expect(partyHash('k'.repeat(32), 'id', '43072319900101123x')).toBe(
      partyHash('k'.repeat(32), 'id', '43072319900101123X'),
    );
    expect(partyHash('k'.repeat(32), 'id', '13812345678')).not.toBe(a);
  });
});

describe('escalation score', () => {
  const base = {
    category: 'contract_debt',
    riskLevel: 'blue',
    repeatCount: 0,
    threat: false,
    injury: false,
    daysOpen: 0,
  } as const;

  it('shows every factor with its points, and the score is their sum', () => {
    const s = escalationScore({ ...base, category: 'marriage_family', riskLevel: 'red', threat: true, daysOpen: 9 });
    expect(s.factors.map((f) => f.factor).sort()).toEqual(
      ['category', 'days_open', 'injury', 'repeat', 'risk_level', 'threat'].sort(),
    );
    expect(s.score).toBe(s.factors.reduce((a, f) => a + f.points, 0));
    expect(s.band).toBe('high');
  });

  it('rises with each warning sign and caps repeats and waiting', () => {
    const low = escalationScore(base).score;
    for (const change of [
      { threat: true },
      { injury: true },
      { repeatCount: 1 },
      { daysOpen: 30 },
      { riskLevel: 'orange' as const },
      { category: 'neighbour' as const },
    ]) {
      expect(escalationScore({ ...base, ...change }).score).toBeGreaterThan(low);
    }
    expect(escalationScore({ ...base, repeatCount: 10 }).score).toBe(
      escalationScore({ ...base, repeatCount: 3 }).score,
    );
    expect(escalationScore({ ...base, daysOpen: 400 }).score).toBe(escalationScore({ ...base, daysOpen: 36 }).score);
    expect(escalationScore({ ...base, daysOpen: null }).factors.find((f) => f.factor === 'days_open')?.points).toBe(0);
  });
});
