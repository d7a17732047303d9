import { describe, expect, it } from 'vitest';
import {
  acceptanceOverdue,
  type CaseFacts,
  emergingHotspot,
  escalation,
  mediatorRegister,
  type OpenCase,
  periodsOf,
  reopenedSoon,
  repeatParty,
  roomOverload,
  screeningOverdue,
} from '../../server/domain/warnings/evaluate.js';
import { checkThresholds, definitionText, ruleCodes, rules, thresholdsOf } from '../../server/domain/warnings/rules.js';
import { allowedWarningMoves, mayMoveWarning } from '../../server/domain/warnings/status.js';

const periods = periodsOf(new Date('2023-05-17T15:59:59Z'));
const facts = (id: number, over: Partial<CaseFacts> = {}): CaseFacts => ({
  id,
  caseNo: `LX-2023-${String(id).padStart(6, '0')}`,
  riskLevel: 'orange',
  townCode: '430723108',
  villageCode: '430723108001',
  stationId: 52,
  lon: 111.6,
  lat: 29.7,
  ...over,
});

describe('warning periods', () => {
  it('keys days, ISO weeks and months in China time', () => {
    expect(periods).toEqual({ day: '2023-05-17', week: '2023-W20', month: '2023-05' });
    // 16:30 UTC on 31 Dec is already 1 Jan in Shanghai, in ISO week 52 of the year before.
    expect(periodsOf(new Date('2022-12-31T16:30:00Z'))).toEqual({
      day: '2023-01-01',
      week: '2022-W52',
      month: '2023-01',
    });
  });
});

describe('the rules', () => {
  it('(1) red and orange cases fire at their own limits, not an hour before; yellow never', () => {
    const t = { redHours: 24, orangeHours: 48 };
    const drafts = acceptanceOverdue(
      [
        { ...facts(1, { riskLevel: 'red' }), hoursWaiting: 24 },
        { ...facts(2, { riskLevel: 'red' }), hoursWaiting: 23.99 },
        { ...facts(3), hoursWaiting: 48 },
        { ...facts(4), hoursWaiting: 47 },
        { ...facts(5, { riskLevel: 'yellow' }), hoursWaiting: 500 },
      ],
      t,
    );
    expect(drafts.map((d) => [d.subjectKey, d.level, d.period])).toEqual([
      ['dispute:1', 'county', 'case'],
      ['dispute:3', 'town', 'case'],
    ]);
  });

  it('(2) a party in minCases cases fires once per latest case; one fewer does not; ID and phone give one', () => {
    const cases = [1, 2, 3].map((id) => ({ ...facts(id), reportedAt: `2023-05-0${id}T10:00:00+08:00` }));
    const t = { minCases: 3, windowDays: 90 };
    expect(repeatParty([{ kind: 'id', hash: 'a'.repeat(64), cases: cases.slice(0, 2) }], t)).toEqual([]);
    const drafts = repeatParty(
      [
        { kind: 'id', hash: 'a'.repeat(64), cases },
        { kind: 'phone', hash: 'b'.repeat(64), cases: [...cases].reverse() },
      ],
      t,
    );
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ period: 'latest:3', disputeId: 3, level: 'town', townCode: '430723108' });
    const spread = repeatParty(
      [
        {
          kind: 'phone',
          hash: 'c'.repeat(64),
          cases: [...cases, { ...facts(9, { townCode: '430723001' }), reportedAt: '2023-05-09T10:00:00+08:00' }],
        },
      ],
      t,
    );
    expect(spread[0]).toMatchObject({ level: 'county', townCode: null, villageCode: null });
  });

  it('(3) escalation: at minScore fires (once per case), a rise of minRise over last week fires (once a week)', () => {
    // marriage & family 15 + orange 12 + threat 20 + injury 15 + 9 days open 3 = 65
    const c: OpenCase = {
      ...facts(7),
      category: 'marriage_family',
      repeatCount: 0,
      threat: true,
      injury: true,
      daysOpen: 9,
      lowestLastWeek: 55,
    };
    const at = escalation([c], { minScore: 65, minRise: 10 }, periods);
    expect(at.scores).toEqual([{ disputeId: 7, score: 65 }]);
    expect(at.drafts.map((d) => d.period)).toEqual(['high', '2023-W20']);
    const below = escalation([c], { minScore: 66, minRise: 11 }, periods);
    expect(below.drafts).toEqual([]);
    expect(escalation([{ ...c, lowestLastWeek: null }], { minScore: 90, minRise: 1 }, periods).drafts).toEqual([]);
  });

  it('(4) only new and intensifying cells with a town fire, keyed by cell size and month', () => {
    const cell = { count: 30, recent: 20, earlier: 10, trendZ: 2.1, trendP: 0.03, lon: 111.7, lat: 29.6 };
    const drafts = emergingHotspot(
      [
        { ...cell, q: 1, r: 2, pattern: 'new', townCode: '430723108' },
        { ...cell, q: 1, r: 3, pattern: 'intensifying', townCode: '430723108' },
        { ...cell, q: 1, r: 4, pattern: 'persistent', townCode: '430723108' },
        { ...cell, q: 1, r: 5, pattern: 'new', townCode: null },
      ],
      { cellSize: 1000, recentMonths: 12 },
      periods,
    );
    expect(drafts.map((d) => `${d.subjectKey}@${d.period}`)).toEqual([
      'cell:1000:1,2@2023-05',
      'cell:1000:1,3@2023-05',
    ]);
  });

  it('(5) a village fires only when more than graceDays past due', () => {
    const v = {
      roundId: 4,
      roundName: 'May',
      dueOn: '2023-05-15',
      villageCode: '430723108001',
      townCode: '430723108',
      lon: 1,
      lat: 2,
    };
    expect(screeningOverdue([{ ...v, daysOverdue: 2 }], { graceDays: 2 })).toEqual([]);
    expect(screeningOverdue([{ ...v, daysOverdue: 3 }], { graceDays: 2 })[0]).toMatchObject({
      subjectKey: 'village:430723108001',
      period: 'round:4',
    });
  });

  it('(6) a room fires above the limit per mediator, not at it; open cases and no mediator is over any limit', () => {
    const room = { stationId: 43, name: '澧西警司联调室', townCode: '430723001', lon: 1, lat: 2 };
    const t = { maxOpenPerMediator: 25 };
    expect(roomOverload([{ ...room, mediators: 2, open: 50 }], t, periods)).toEqual([]);
    expect(roomOverload([{ ...room, mediators: 2, open: 51 }], t, periods)[0]?.evidence).toMatchObject({
      perMediator: 25.5,
    });
    expect(roomOverload([{ ...room, mediators: 0, open: 1 }], t, periods)).toHaveLength(1);
    expect(roomOverload([{ ...room, mediators: 0, open: 0 }], t, periods)).toEqual([]);
  });

  it('(7) a case reopened within withinDays of the resolution fires, a day later does not', () => {
    const r = { ...facts(11), fromId: 10, fromCaseNo: 'LX-2023-000010' };
    expect(reopenedSoon([{ ...r, daysAfterResolution: 30 }], { withinDays: 30 })).toHaveLength(1);
    expect(reopenedSoon([{ ...r, daysAfterResolution: 30.5 }], { withinDays: 30 })).toEqual([]);
  });
});

describe('thresholds and definitions', () => {
  it('validates each threshold, naming it', () => {
    const current = rules.repeat_party.defaults;
    expect(checkThresholds('repeat_party', current, { minCases: 4 })).toEqual({
      ok: true,
      thresholds: { minCases: 4, windowDays: 90 },
    });
    for (const [input, field] of [
      [{ minCases: 1 }, 'thresholds.minCases'],
      [{ minCases: 3.5 }, 'thresholds.minCases'],
      [{ minCases: null }, 'thresholds.minCases'],
      [JSON.parse('{"__proto__": 2}'), 'thresholds.__proto__'],
      [{ toString: 3 }, 'thresholds.toString'],
      [[3], 'thresholds'],
    ] as const) {
      const r = checkThresholds('repeat_party', current, input);
      expect(r.ok).toBe(false);
      if (!r.ok && field !== 'thresholds') expect(r.field).toBe(field);
    }
    expect(checkThresholds('emerging_hotspot', rules.emerging_hotspot.defaults, { cellSize: 1650 }).ok).toBe(true);
    expect(checkThresholds('emerging_hotspot', rules.emerging_hotspot.defaults, { cellSize: 1600 })).toMatchObject({
      ok: false,
      field: 'thresholds.cellSize',
    });
  });

  it('fills stored thresholds with the defaults of keys stored before they existed, and keeps the stored ones', () => {
    expect(thresholdsOf('mediator_register', { withinDays: 45 })).toEqual({ withinDays: 45, requiredHours: 24 });
    expect(thresholdsOf('mediator_register', null)).toEqual(rules.mediator_register.defaults);
    expect(thresholdsOf('repeat_party', { minCases: 5, windowDays: 30 })).toEqual({ minCases: 5, windowDays: 30 });
  });

  it('fills every placeholder of every definition, in both languages, with the defaults', () => {
    for (const code of ruleCodes) {
      for (const lang of ['zh', 'en'] as const) {
        const text = definitionText(code, lang, rules[code].defaults);
        expect(text, `${code} ${lang}`).not.toMatch(/\{\w+\}/);
        for (const v of Object.values(rules[code].defaults)) expect(text).toContain(String(v));
      }
    }
  });

  it('lets an open warning be acknowledged, dismissed or tasked, and nothing after dismissal', () => {
    expect(mayMoveWarning('open', 'acknowledged')).toBe(true);
    expect(mayMoveWarning('acknowledged', 'dismissed')).toBe(true);
    expect(mayMoveWarning('acknowledged', 'acknowledged')).toBe(false);
    expect(allowedWarningMoves('dismissed')).toEqual([]);
  });

  it('raises each register finding once per subject, check and month, drawn where the person or room is', () => {
    const drafts = mediatorRegister(
      [
        {
          rule: 'appointment_expiring',
          subject: 'mediator',
          subjectId: 7,
          townCode: 'T',
          due: '2023-06-06',
          daysLeft: 20,
        },
        {
          rule: 'training_short',
          subject: 'mediator',
          subjectId: 7,
          townCode: 'T',
          due: null,
          daysLeft: null,
          hours: 6,
          requiredHours: 24,
        },
        { rule: 'room_without_assistant', subject: 'station', subjectId: 3, townCode: 'T', due: null, daysLeft: null },
      ],
      [
        { subject: 'mediator', id: 7, stationId: null, villageCode: 'V', lon: 111.5, lat: 29.6 },
        { subject: 'station', id: 3, stationId: 3, villageCode: null, lon: 111.7, lat: 29.8 },
        { subject: 'station', id: 7, stationId: 7, villageCode: null, lon: 0, lat: 0 },
      ],
      periods,
    );
    expect(drafts.map((d) => [d.subjectKey, d.period, d.villageCode, d.stationId, d.lon])).toEqual([
      ['mediator:7:appointment_expiring', '2023-05', 'V', null, 111.5],
      ['mediator:7:training_short', '2023-05', 'V', null, 111.5],
      ['station:3:room_without_assistant', '2023-05', null, 3, 111.7],
    ]);
    expect(drafts[1]?.evidence).toEqual({
      check: 'training_short',
      subject: 'mediator',
      mediatorId: 7,
      due: null,
      daysLeft: null,
      hours: 6,
      requiredHours: 24,
    });
    expect(drafts[2]?.evidence).not.toHaveProperty('mediatorId');
  });
});
