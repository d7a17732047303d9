import { addDays } from '../people/visits.js';
import { createRng, deriveSeed, type Rng } from './rng.js';

/**
 * The demo county's people and paperwork (issue 18), SYNTHETIC: a register (one judicial assistant and one police
 * officer per joint mediation room, town committee mediators at each judicial office, one or two mediators per
 * village committee, a specialist mediator per town), their trainings, the mediators named on this year's cases,
 * follow-up visits of recently resolved cases, written agreements and a few judicial confirmations, monthly joint
 * meetings per town and a quarterly county meeting, and dossier items. Built from the seeded database's own rows
 * (ids in insertion order), with its own seeded stream: the same seed gives the same rows. It adds records beside
 * the cases and never changes a case's status or dates, so the article's figures stay as they are.
 */

export interface PeopleInput {
  today: string;
  stations: { id: number; kind: string; townCode: string; name: string }[];
  villages: { code: string; townCode: string; name: string }[];
  towns: { code: string; name: string }[];
  /** Cases reported this year (to name mediators on) and resolved recently (to visit), oldest first. */
  cases: {
    id: number;
    townCode: string;
    villageCode: string;
    stationId: number | null;
    status: string;
    reportedOn: string;
    resolvedOn: string | null;
    summary: string;
  }[];
  /** Accounts that attend town meetings (town officers by town). */
  accounts: { id: number; townCode: string | null }[];
}

export interface DemoMediator {
  key: number;
  name: string;
  kind: 'peoples_mediator' | 'judicial_assistant' | 'police_officer' | 'specialist_mediator';
  stationId: number | null;
  villageCode: string | null;
  townCode: string;
  appointmentNo: string | null;
  appointedBy: string | null;
  appointedFrom: string | null;
  appointedTo: string | null;
  qualification: string | null;
  qualificationExpiresOn: string | null;
  active: boolean;
}

export interface DemoPeople {
  mediators: DemoMediator[];
  trainings: { mediatorKey: number; trainedOn: string; hours: number; course: string }[];
  caseMediators: { disputeId: number; mediatorKey: number }[];
  agreements: { disputeId: number; agreedOn: string; followUpOn: string; note: string }[];
  confirmations: { disputeId: number; appliedOn: string; court: string; result: string; decidedOn: string | null }[];
  visits: {
    disputeId: number;
    visitedOn: string;
    mediatorKey: number | null;
    performance: 'honoured' | 'partly' | 'broken';
    satisfaction: 'satisfied' | 'basically' | 'not';
    note: string;
  }[];
  meetings: {
    kind: 'joint_meeting' | 'work_meeting';
    heldOn: string;
    townCode: string | null;
    title: string;
    minutes: string;
    mediatorKeys: number[];
    accountIds: number[];
    caseIds: number[];
    decisions: { text: string; stationId: number | null; dueOn: string; disputeId: number | null }[];
  }[];
  dossier: { disputeId: number; item: string; state: 'present' | 'missing' }[];
}

const SURNAMES = [...'张李王刘陈杨赵黄周吴徐孙胡朱高林何郭马罗彭曾谭龚覃向邓熊肖汤夏宋唐易'];
const GIVEN = [...'建国志强秀英桂兰春梅海军明华丽娟红霞德胜玉珍立新文华小平永刚淑芬金凤家豪'];
const COURSES = [
  '人民调解法及调解技巧培训',
  '矛盾纠纷排查化解业务培训',
  '婚姻家庭纠纷调解专题培训',
  '土地山林权属纠纷调解培训',
  '警司联调工作机制培训',
  '医疗纠纷调解专题培训',
];

function name(rng: Rng) {
  const given = rng.chance(0.35) ? rng.pick(GIVEN) : `${rng.pick(GIVEN)}${rng.pick(GIVEN)}`;
  return `${rng.pick(SURNAMES)}${given}`;
}

/** A day uniformly between two days (inclusive). */
function dayBetween(rng: Rng, from: string, to: string): string {
  const span = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000));
  return addDays(from, rng.int(0, span));
}

export function generatePeople(input: PeopleInput, seed = 20230517): DemoPeople {
  const rng = createRng(deriveSeed(seed, 'people'));
  const { today } = input;
  const mediators: DemoMediator[] = [];
  const serial = new Map<string, number>();
  const add = (
    m: Omit<
      DemoMediator,
      'key' | 'appointmentNo' | 'appointedFrom' | 'appointedTo' | 'qualification' | 'qualificationExpiresOn' | 'active'
    >,
    opts: { active?: boolean; expiring?: boolean } = {},
  ) => {
    const committee = m.stationId !== null ? `s${m.stationId}` : `v${m.villageCode}`;
    const n = (serial.get(committee) ?? 0) + 1;
    serial.set(committee, n);
    // Terms of three years; one in twelve runs out within the 60-day warning window of the demo's today.
    const to = opts.expiring ? addDays(today, rng.int(5, 55)) : addDays(today, rng.int(90, 900));
    const from = addDays(to, -3 * 365);
    const qualified = m.kind !== 'police_officer';
    const qualificationExpiresOn = qualified
      ? rng.chance(0.06)
        ? addDays(today, rng.int(3, 58))
        : addDays(today, rng.int(120, 1500))
      : null;
    mediators.push({
      ...m,
      key: mediators.length,
      appointmentNo: `〔${from.slice(0, 4)}〕${String(n).padStart(3, '0')}号`,
      appointedFrom: from,
      appointedTo: to,
      qualification: qualified ? (m.kind === 'specialist_mediator' ? '专职人民调解员资格' : '人民调解员资格') : null,
      qualificationExpiresOn,
      active: opts.active ?? true,
    });
    return mediators[mediators.length - 1] as DemoMediator;
  };
  const townName = new Map(input.towns.map((t) => [t.code, t.name]));
  const rooms = input.stations.filter((s) => s.kind === 'joint_mediation_room');
  rooms.forEach((r, i) => {
    // Every room has its judicial assistant; in one room the assistant has left (inactive), so the register's
    // check "a room without an active judicial assistant" has something to show.
    add(
      {
        name: name(rng),
        kind: 'judicial_assistant',
        stationId: r.id,
        villageCode: null,
        townCode: r.townCode,
        appointedBy: '澧县司法局',
      },
      { active: i !== 3, expiring: rng.chance(1 / 12) },
    );
    add({
      name: name(rng),
      kind: 'police_officer',
      stationId: r.id,
      villageCode: null,
      townCode: r.townCode,
      appointedBy: '澧县公安局',
    });
  });
  for (const o of input.stations.filter((s) => s.kind === 'judicial_office')) {
    for (let k = rng.int(1, 2); k > 0; k--) {
      add(
        {
          name: name(rng),
          kind: 'peoples_mediator',
          stationId: o.id,
          villageCode: null,
          townCode: o.townCode,
          appointedBy: `${townName.get(o.townCode) ?? ''}人民调解委员会`,
        },
        { expiring: rng.chance(1 / 12) },
      );
    }
    add({
      name: name(rng),
      kind: 'specialist_mediator',
      stationId: o.id,
      villageCode: null,
      townCode: o.townCode,
      appointedBy: '澧县司法局',
    });
  }
  for (const v of input.villages) {
    for (let k = rng.chance(0.4) ? 2 : 1; k > 0; k--) {
      add(
        {
          name: name(rng),
          kind: 'peoples_mediator',
          stationId: null,
          villageCode: v.code,
          townCode: v.townCode,
          appointedBy: `${v.name}人民调解委员会`,
        },
        { expiring: rng.chance(1 / 12) },
      );
    }
  }

  // Trainings over the last two years; about one in ten falls short of the county's 24 hours a year.
  const trainings: DemoPeople['trainings'] = [];
  for (const m of mediators) {
    const short = rng.chance(0.1);
    let hours = 0;
    const target = short ? rng.int(4, 16) : rng.int(24, 40);
    while (hours < target) {
      const h = Math.min(rng.pick([4, 6, 8, 12]), target - hours);
      trainings.push({
        mediatorKey: m.key,
        trainedOn: dayBetween(rng, addDays(today, -330), addDays(today, -3)),
        hours: h,
        course: rng.pick(COURSES),
      });
      hours += h;
    }
    if (rng.chance(0.6)) {
      trainings.push({
        mediatorKey: m.key,
        trainedOn: dayBetween(rng, addDays(today, -700), addDays(today, -380)),
        hours: rng.pick([8, 12, 16]),
        course: rng.pick(COURSES),
      });
    }
  }

  const byVillage = new Map<string, DemoMediator[]>();
  const byStation = new Map<number, DemoMediator[]>();
  const byTown = new Map<string, DemoMediator[]>();
  for (const m of mediators.filter((x) => x.active)) {
    if (m.villageCode) byVillage.set(m.villageCode, [...(byVillage.get(m.villageCode) ?? []), m]);
    if (m.stationId !== null) byStation.set(m.stationId, [...(byStation.get(m.stationId) ?? []), m]);
    byTown.set(m.townCode, [...(byTown.get(m.townCode) ?? []), m]);
  }

  // Mediators on this year's cases: the village's mediator, and at a room its judicial assistant too.
  const caseMediators: DemoPeople['caseMediators'] = [];
  const lead = new Map<number, number>();
  for (const c of input.cases.filter((x) => x.reportedOn >= `${today.slice(0, 4)}-01-01`)) {
    const pool = [...(byStation.get(c.stationId ?? -1) ?? []), ...(byVillage.get(c.villageCode) ?? [])];
    const fallback = byTown.get(c.townCode) ?? [];
    const first = pool.length > 0 ? rng.pick(pool) : fallback.length > 0 ? rng.pick(fallback) : null;
    if (!first) continue;
    caseMediators.push({ disputeId: c.id, mediatorKey: first.key });
    lead.set(c.id, first.key);
    const second = pool.find((m) => m.key !== first.key && m.kind === 'judicial_assistant');
    if (second && rng.chance(0.5)) caseMediators.push({ disputeId: c.id, mediatorKey: second.key });
  }

  // Recently resolved cases: written agreements for some, visits for most of those already due.
  const agreements: DemoPeople['agreements'] = [];
  const confirmations: DemoPeople['confirmations'] = [];
  const visits: DemoPeople['visits'] = [];
  const dossier: DemoPeople['dossier'] = [];
  const horizon = addDays(today, -180);
  for (const c of input.cases.filter((x) => x.status === 'resolved' && x.resolvedOn && x.resolvedOn >= horizon)) {
    const resolvedOn = c.resolvedOn as string;
    let due = addDays(resolvedOn, 30);
    let written = false;
    if (rng.chance(0.45)) {
      written = true;
      due = addDays(resolvedOn, rng.int(15, 45));
      agreements.push({
        disputeId: c.id,
        agreedOn: resolvedOn,
        followUpOn: due,
        note: '双方自愿达成书面协议（演示数据）',
      });
      if (rng.chance(0.12)) {
        const appliedOn = addDays(resolvedOn, rng.int(3, 34));
        if (appliedOn <= today) {
          const decided = addDays(appliedOn, rng.int(5, 20));
          const done = decided <= today;
          confirmations.push({
            disputeId: c.id,
            appliedOn,
            court: '澧县人民法院',
            result: done ? (rng.chance(0.93) ? 'confirmed' : 'rejected') : 'pending',
            decidedOn: done ? decided : null,
          });
        }
      }
    }
    const visited = due <= today && rng.chance(0.9);
    if (visited) {
      const earliest = [addDays(due, -7), resolvedOn].sort()[1] as string;
      const latest = [addDays(due, 10), today].sort()[0] as string;
      const visitedOn = dayBetween(rng, earliest, latest);
      const sat = rng.next();
      const perf = rng.next();
      visits.push({
        disputeId: c.id,
        visitedOn,
        mediatorKey: lead.get(c.id) ?? null,
        performance: perf < 0.92 ? 'honoured' : perf < 0.98 ? 'partly' : 'broken',
        satisfaction: sat < 0.78 ? 'satisfied' : sat < 0.95 ? 'basically' : 'not',
        note: '电话回访（演示数据）',
      });
    }
    // Dossier items people have checked off; the rest are worked out from the data.
    for (const [item, p] of [
      ['rights_notice', 0.92],
      ['identity_documents', 0.88],
      ['investigation', 0.8],
      ['mediation_record', 0.9],
      ['performance_proof', written ? 0.75 : 0.55],
    ] as const) {
      dossier.push({ disputeId: c.id, item, state: rng.chance(p) ? 'present' : 'missing' });
    }
  }

  // Monthly joint meetings per town over the last twelve months (now and then a month is missed), and a county
  // joint meeting each quarter.
  const meetings: DemoPeople['meetings'] = [];
  const months: string[] = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() - i);
    months.push(d.toISOString().slice(0, 7));
  }
  const officers = new Map<string, number[]>();
  for (const a of input.accounts) if (a.townCode) officers.set(a.townCode, [...(officers.get(a.townCode) ?? []), a.id]);
  for (const t of input.towns) {
    const townRooms = rooms.filter((r) => r.townCode === t.code);
    const staff = (byTown.get(t.code) ?? []).filter((m) => m.stationId !== null);
    const townCases = input.cases.filter((c) => c.townCode === t.code);
    for (const month of months) {
      if (rng.chance(0.08)) continue;
      const last = month === today.slice(0, 7) ? Number(today.slice(8, 10)) : 28;
      if (last < 5) continue;
      const heldOn = `${month}-${String(rng.int(5, Math.min(last, 28))).padStart(2, '0')}`;
      const discussed = townCases.filter((c) => c.reportedOn.slice(0, 7) === month).slice(0, rng.int(1, 3));
      const room = townRooms.length > 0 ? rng.pick(townRooms) : null;
      meetings.push({
        kind: rng.chance(0.75) ? 'joint_meeting' : 'work_meeting',
        heldOn,
        townCode: t.code,
        title: `${t.name}警司联调${month.slice(5, 7).replace(/^0/, '')}月联席会议（演示）`,
        minutes: `会议通报本月矛盾纠纷排查化解情况，研判重点纠纷${discussed.length}件，部署下月工作。（演示数据）`,
        mediatorKeys: staff.slice(0, 4).map((m) => m.key),
        accountIds: officers.get(t.code) ?? [],
        caseIds: discussed.map((c) => c.id),
        decisions: discussed.slice(0, 1).map((c) => ({
          text: '由联调室牵头，七日内再次组织双方调解并报告结果',
          stationId: room?.id ?? c.stationId,
          dueOn: addDays(heldOn, 7),
          disputeId: c.id,
        })),
      });
    }
  }
  for (const month of months.filter((m) => ['03', '06', '09', '12'].includes(m.slice(5, 7)))) {
    meetings.push({
      kind: 'joint_meeting',
      heldOn: `${month}-20`,
      townCode: null,
      title: `全县警司联调工作联席会议（${month}，演示）`,
      minutes: '县委政法委主持，司法局、公安局通报全县矛盾纠纷化解情况。（演示数据）',
      mediatorKeys: [],
      accountIds: [],
      caseIds: [],
      decisions: [],
    });
  }
  return { mediators, trainings, caseMediators, agreements, confirmations, visits, meetings, dossier };
}
