import { describe, expect, it } from 'vitest';
import { generatePeople, type PeopleInput } from '../../server/domain/demo/people.js';
import { lastPeriods, periodOf, regularity } from '../../server/domain/people/meetings.js';
import { appointmentProblem, registerFindings } from '../../server/domain/people/register.js';
import { firstVisitDue, offersReopen, satisfactionRates } from '../../server/domain/people/visits.js';

describe('the register checks', () => {
  const m = (id: number, over: object = {}) => ({
    id,
    townCode: '430723108',
    active: true,
    appointedTo: '2025-01-01',
    qualificationExpiresOn: null,
    hoursThisYear: 24,
    ...over,
  });
  const opts = { withinDays: 60, requiredHours: 24 };
  it('lists an appointment expiring within 60 days, not one at 61, and an expired one', () => {
    const f = registerFindings(
      '2023-05-17',
      [m(1, { appointedTo: '2023-07-16' }), m(2, { appointedTo: '2023-07-17' }), m(3, { appointedTo: '2023-05-01' })],
      [],
      opts,
    );
    expect(f.map((x) => [x.subjectId, x.daysLeft])).toEqual([
      [3, -16],
      [1, 60],
    ]);
  });
  it('lists training short of the yearly hours and skips inactive mediators', () => {
    const f = registerFindings(
      '2023-05-17',
      [m(1, { hoursThisYear: 23.5 }), m(2, { active: false, hoursThisYear: 0 })],
      [],
      opts,
    );
    expect(f).toMatchObject([{ rule: 'training_short', subjectId: 1, hours: 23.5, requiredHours: 24 }]);
  });
  it('lists a room without an active judicial assistant first', () => {
    const f = registerFindings(
      '2023-05-17',
      [m(1, { qualificationExpiresOn: '2023-06-01' })],
      [
        { id: 9, townCode: '430723108', activeJudicialAssistants: 0 },
        { id: 10, townCode: '430723108', activeJudicialAssistants: 1 },
      ],
      opts,
    );
    expect(f.map((x) => x.rule)).toEqual(['room_without_assistant', 'qualification_expiring']);
  });
  it('wants appointment dates in order and a start date with a number', () => {
    expect(appointmentProblem({ appointedFrom: '2023-01-02', appointedTo: '2023-01-01' })?.field).toBe('appointedTo');
    expect(appointmentProblem({ appointmentNo: 'x' })?.field).toBe('appointedFrom');
    expect(
      appointmentProblem({ appointmentNo: 'x', appointedFrom: '2023-01-01', appointedTo: '2023-01-01' }),
    ).toBeNull();
  });
});

describe('follow-up visits', () => {
  it("takes the first visit's due date from the agreement, else 30 days after resolution", () => {
    expect(firstVisitDue({ followUpOn: '2023-05-20', resolvedOn: '2023-04-01' }, 30)).toBe('2023-05-20');
    expect(firstVisitDue({ followUpOn: null, resolvedOn: '2023-04-01' }, 30)).toBe('2023-05-01');
  });
  it('offers a reopen when the agreement is broken or the parties are not satisfied', () => {
    expect(offersReopen('broken', 'satisfied')).toBe(true);
    expect(offersReopen('honoured', 'not')).toBe(true);
    expect(offersReopen('partly', 'basically')).toBe(false);
  });
  it('rates satisfied + basically satisfied over visits, and nothing from no visits', () => {
    expect(satisfactionRates({ visits: 8, satisfied: 5, basically: 2, not: 1 })).toEqual({
      rate: 0.875,
      strictRate: 0.625,
    });
    expect(satisfactionRates({ visits: 0, satisfied: 0, basically: 0, not: 0 }).rate).toBeNull();
  });
});

describe('meeting regularity', () => {
  it('keys months and quarters, and counts the last year up to the current period', () => {
    expect(periodOf('2023-05-17', 'quarter')).toBe('2023-Q2');
    expect(lastPeriods('2023-05-17', 'month', 3)).toEqual(['2023-03', '2023-04', '2023-05']);
    expect(lastPeriods('2023-02-01', 'quarter', 3)).toEqual(['2022-Q3', '2022-Q4', '2023-Q1']);
    const r = regularity('2023-05-17', 'month', ['2022-05-30', '2022-06-02', '2022-06-20', '2023-05-10', '2023-05-18']);
    expect(r.periods[0]).toEqual({ period: '2022-06', meetings: 2 });
    expect(r.met).toBe(2);
    expect(r.expected).toBe(12);
    expect(r.lastHeldOn).toBe('2023-05-10');
  });
});

describe('the demo register', () => {
  const input: PeopleInput = {
    today: '2023-05-17',
    stations: [
      { id: 1, kind: 'joint_mediation_room', townCode: 't1', name: 'r1' },
      { id: 2, kind: 'judicial_office', townCode: 't1', name: 'j1' },
    ],
    villages: [{ code: 'v1', townCode: 't1', name: '村' }],
    towns: [{ code: 't1', name: '镇' }],
    cases: [
      {
        id: 5,
        townCode: 't1',
        villageCode: 'v1',
        stationId: 1,
        status: 'resolved',
        reportedOn: '2023-02-01',
        resolvedOn: '2023-03-01',
        summary: '',
      },
    ],
    accounts: [],
  };
  it('is deterministic, with one judicial assistant per room and a mediator per village', () => {
    const a = generatePeople(input);
    expect(JSON.stringify(generatePeople(input))).toBe(JSON.stringify(a));
    expect(a.mediators.filter((m) => m.kind === 'judicial_assistant' && m.stationId === 1)).toHaveLength(1);
    expect(a.mediators.some((m) => m.villageCode === 'v1')).toBe(true);
    expect(JSON.stringify(generatePeople(input, 1))).not.toBe(JSON.stringify(a));
  });
});
