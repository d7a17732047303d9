import { MutationObserver, QueryClient, type QueryKey } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { adminUnitsQuery } from '../../web/src/api/admin-units';
import { unresolvedQuery } from '../../web/src/api/analytics';
import { caseDetailQuery, caseRegisterQuery, caseStepMutation, saveCaseMutation } from '../../web/src/api/cases';
import { coverageQuery } from '../../web/src/api/coverage';
import { openDisputesQuery } from '../../web/src/api/disputes';
import { inboxQuery, markReadMutation, unreadQuery } from '../../web/src/api/notifications';
import {
  addTrainingMutation,
  caseDossierQuery,
  caseMediatorsQuery,
  caseVisitsQuery,
  checksQuery,
  createMediatorMutation,
  createMeetingMutation,
  markDossierItemMutation,
  mediatorQuery,
  mediatorsQuery,
  meetingQuery,
  meetingsQuery,
  recordVisitMutation,
  regularityQuery,
  reopenCaseMutation,
  revealMediatorMutation,
  saveCaseMediatorsMutation,
  saveConfirmationMutation,
} from '../../web/src/api/people';
import { saveStationMutation, stationsQuery } from '../../web/src/api/stations';
import { summaryQuery } from '../../web/src/api/summary';
import { createTaskMutation, moveTaskMutation, taskFiguresQuery, tasksQuery } from '../../web/src/api/tasks';
import {
  acknowledgeWarningMutation,
  dismissWarningMutation,
  warningRulesQuery,
  warningsLayerQuery,
  warningsQuery,
} from '../../web/src/api/warnings';

/** A cache holding an answer for each of these queries, as the dashboard has after a first load. */
function cacheWith(keys: QueryKey[]): QueryClient {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  for (const key of keys) queryClient.setQueryData(key, { cached: true });
  return queryClient;
}

const stale = (queryClient: QueryClient, key: QueryKey) => queryClient.getQueryState(key)?.isInvalidated ?? null;

const TOWN = '430723108';
const openCasesLayer = openDisputesQuery(undefined, {}).queryKey;
const openCasesFiltered = openDisputesQuery(TOWN, { category: 'medical', from: '2023-01-01' }).queryKey;
const countyKpis = summaryQuery(undefined, {}).queryKey;
const register = caseRegisterQuery({
  town: TOWN,
  status: 'open',
  q: null,
  overdue: false,
  sort: 'escalation',
}).queryKey;
const detail = caseDetailQuery(42).queryKey;
const unresolved = unresolvedQuery({ town: TOWN }).queryKey;
const boundaries = adminUnitsQuery('town').queryKey;
const stations = stationsQuery().queryKey;
const coverage = coverageQuery(5).queryKey;
const all = [
  openCasesLayer,
  openCasesFiltered,
  countyKpis,
  register,
  detail,
  unresolved,
  boundaries,
  stations,
  coverage,
];

describe('writes on the web refresh what they change', () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    fetchMock = vi.fn(async () => new Response(JSON.stringify({ id: 42, version: 2 }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('a new case refreshes the open-cases map layer (every filter), the KPIs, the register and the analytics', async () => {
    const queryClient = cacheWith(all);
    await new MutationObserver(queryClient, saveCaseMutation(queryClient)).mutate({
      id: null,
      body: { category: 'medical', riskLevel: 'red', summary: 's', threat: false, injury: false, parties: [] },
    });
    expect(fetchMock).toHaveBeenCalledWith('/api/disputes', expect.objectContaining({ method: 'POST' }));
    for (const key of [openCasesLayer, openCasesFiltered, countyKpis, register, detail, unresolved]) {
      expect(stale(queryClient, key), JSON.stringify(key)).toBe(true);
    }
    // Boundaries and stations do not change with a case: they stay as they are.
    expect(stale(queryClient, boundaries)).toBe(false);
    expect(stale(queryClient, stations)).toBe(false);
  });

  it('a step on a case (a transition) refreshes the open-cases map layer too', async () => {
    const queryClient = cacheWith(all);
    await new MutationObserver(queryClient, caseStepMutation(queryClient)).mutate({
      id: 42,
      version: 1,
      step: 'transitions',
      body: { to: 'resolved', level: 'village' },
    });
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/disputes/42/transitions',
      expect.objectContaining({
        method: 'POST',
        body: JSON.stringify({ version: 1, to: 'resolved', level: 'village' }),
      }),
    );
    expect(stale(queryClient, openCasesLayer)).toBe(true);
    expect(stale(queryClient, countyKpis)).toBe(true);
    // The answer is the case as it now is: shown at once, before any refetch.
    expect(queryClient.getQueryData(detail)).toEqual({ id: 42, version: 2 });
  });

  it('a refused step (409) reloads the case but leaves the map and the KPIs alone', async () => {
    fetchMock.mockImplementation(
      async () =>
        new Response(JSON.stringify({ statusCode: 409, error: 'Conflict', message: 'moved' }), { status: 409 }),
    );
    const queryClient = cacheWith(all);
    const observer = new MutationObserver(queryClient, caseStepMutation(queryClient));
    await expect(observer.mutate({ id: 42, version: 1, step: 'reopen', body: {} })).rejects.toThrow('409');
    expect(stale(queryClient, detail)).toBe(true);
    expect(stale(queryClient, openCasesLayer)).toBe(false);
  });

  it('a station write refreshes the stations and the coverage built on them, not the cases', async () => {
    const queryClient = cacheWith(all);
    await new MutationObserver(queryClient, saveStationMutation(queryClient)).mutate({
      id: 7,
      input: { kind: 'joint_mediation_room', name: 'x', lon: 111.7, lat: 29.6, staffCount: 2 },
    });
    expect(fetchMock).toHaveBeenCalledWith('/api/stations/7', expect.objectContaining({ method: 'PATCH' }));
    expect(stale(queryClient, stations)).toBe(true);
    expect(stale(queryClient, coverage)).toBe(true);
    expect(stale(queryClient, openCasesLayer)).toBe(false);
  });
});

describe('warning, task and notification writes refresh what they change', () => {
  const warningList = warningsQuery({ town: TOWN }).queryKey;
  const warningLayer = warningsLayerQuery({}).queryKey;
  const warningRules = warningRulesQuery().queryKey;
  const taskList = tasksQuery({ open: true }).queryKey;
  const taskFigures = taskFiguresQuery('town', null).queryKey;
  const inbox = inboxQuery(null).queryKey;
  const bell = unreadQuery().queryKey;
  const keys = [warningList, warningLayer, warningRules, taskList, taskFigures, inbox, bell, register];
  const staleOnes = (queryClient: QueryClient) =>
    keys.filter((key) => stale(queryClient, key)).map((key) => JSON.stringify(key));
  const named = (...some: QueryKey[]) => some.map((key) => JSON.stringify(key));

  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    fetchMock = vi.fn(async () => new Response(JSON.stringify({ id: 42, version: 2 }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('acknowledging or dismissing a warning refreshes the warnings (list, layer, rules), nothing else', async () => {
    for (const run of [
      (c: QueryClient) => new MutationObserver(c, acknowledgeWarningMutation(c)).mutate({ id: 42, version: 1 }),
      (c: QueryClient) =>
        new MutationObserver(c, dismissWarningMutation(c)).mutate({ warning: { id: 42, version: 1 }, reason: 'r' }),
    ]) {
      const queryClient = cacheWith(keys);
      await run(queryClient);
      expect(staleOnes(queryClient)).toEqual(named(warningList, warningLayer, warningRules));
    }
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/warnings/42/dismiss',
      expect.objectContaining({ method: 'POST', body: JSON.stringify({ version: 1, reason: 'r' }) }),
    );
  });

  it('a task refreshes the tasks; a task about a warning the warnings too', async () => {
    const task = { action: 'verify', dueOn: '2023-06-01', assigneeStationId: 3, clientKey: 'k' } as const;
    let queryClient = cacheWith(keys);
    await new MutationObserver(queryClient, createTaskMutation(queryClient)).mutate({
      ...task,
      subjectKind: 'village',
      villageCode: `${TOWN}001`,
    });
    expect(staleOnes(queryClient)).toEqual(named(taskList, taskFigures));
    queryClient = cacheWith(keys);
    await new MutationObserver(queryClient, createTaskMutation(queryClient)).mutate({
      ...task,
      subjectKind: 'warning',
      warningId: 42,
    });
    expect(staleOnes(queryClient)).toEqual(named(warningList, warningLayer, warningRules, taskList, taskFigures));
  });

  it('moving a task refreshes the tasks and the notifications; a refused move (409) only the tasks', async () => {
    let queryClient = cacheWith(keys);
    await new MutationObserver(queryClient, moveTaskMutation(queryClient)).mutate({
      id: 7,
      to: 'accepted',
      version: 1,
    });
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/tasks/7/transitions',
      expect.objectContaining({ method: 'POST', body: JSON.stringify({ to: 'accepted', version: 1 }) }),
    );
    expect(staleOnes(queryClient)).toEqual(named(taskList, taskFigures, inbox, bell));
    fetchMock.mockImplementation(
      async () =>
        new Response(JSON.stringify({ statusCode: 409, error: 'Conflict', message: 'moved' }), { status: 409 }),
    );
    queryClient = cacheWith(keys);
    const observer = new MutationObserver(queryClient, moveTaskMutation(queryClient));
    await expect(observer.mutate({ id: 7, to: 'accepted', version: 1 })).rejects.toThrow('409');
    expect(staleOnes(queryClient)).toEqual(named(taskList, taskFigures));
  });

  it('marking notifications read refreshes the inbox and the bell', async () => {
    const queryClient = cacheWith(keys);
    await new MutationObserver(queryClient, markReadMutation(queryClient)).mutate({ all: true, upTo: 9 });
    expect(staleOnes(queryClient)).toEqual(named(inbox, bell));
  });
});

describe('people writes (register, visits, dossier, meetings) refresh what they change', () => {
  const mediatorList = mediatorsQuery(TOWN, null).queryKey;
  const mediator = mediatorQuery(5).queryKey;
  const caseMediators = caseMediatorsQuery(42).queryKey;
  const checks = checksQuery(TOWN).queryKey;
  const visits = caseVisitsQuery(42).queryKey;
  const dossier = caseDossierQuery(42).queryKey;
  const meetingList = meetingsQuery(TOWN).queryKey;
  const meeting = meetingQuery(3).queryKey;
  const regularity = regularityQuery(TOWN).queryKey;
  const keys = [
    mediatorList,
    mediator,
    caseMediators,
    checks,
    visits,
    dossier,
    meetingList,
    meeting,
    regularity,
    register,
    detail,
  ];
  const staleOnes = (queryClient: QueryClient) =>
    keys.filter((key) => stale(queryClient, key)).map((key) => JSON.stringify(key));
  const named = (...some: QueryKey[]) => some.map((key) => JSON.stringify(key));
  const register_ = [mediatorList, mediator, caseMediators, checks];

  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    fetchMock = vi.fn(async () => new Response(JSON.stringify({ id: 43, version: 2 }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('naming mediators on a case, a new mediator or a training refresh the register (its figures), nothing else', async () => {
    const mediatorBody = {
      name: '张三',
      kind: 'peoples_mediator',
      appointmentNo: null,
      appointedBy: null,
      appointedFrom: null,
      appointedTo: null,
      qualification: null,
      qualificationExpiresOn: null,
    } as const;
    for (const run of [
      (c: QueryClient) =>
        new MutationObserver(c, saveCaseMediatorsMutation(c)).mutate({ caseId: 42, mediatorIds: [5, 6] }),
      (c: QueryClient) => new MutationObserver(c, createMediatorMutation(c)).mutate(mediatorBody),
      (c: QueryClient) =>
        new MutationObserver(c, addTrainingMutation(c)).mutate({
          id: 5,
          trainedOn: '2023-05-01',
          hours: 8,
          course: 'c',
        }),
    ]) {
      const queryClient = cacheWith(keys);
      await run(queryClient);
      expect(staleOnes(queryClient)).toEqual(named(...register_));
    }
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/disputes/42/mediators',
      expect.objectContaining({ method: 'PUT', body: JSON.stringify({ mediatorIds: [5, 6] }) }),
    );
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/mediators/5/trainings',
      expect.objectContaining({
        method: 'POST',
        body: JSON.stringify({ trainedOn: '2023-05-01', hours: 8, course: 'c' }),
      }),
    );
  });

  it('revealing a name refreshes nothing', async () => {
    const queryClient = cacheWith(keys);
    await new MutationObserver(queryClient, revealMediatorMutation()).mutate(5);
    expect(fetchMock).toHaveBeenCalledWith('/api/mediators/5/reveal', expect.objectContaining({ method: 'POST' }));
    expect(staleOnes(queryClient)).toEqual([]);
  });

  it('a visit refreshes the whole people register; reopening a case the cases too', async () => {
    let queryClient = cacheWith(keys);
    const visit = { visitedOn: '2023-05-01', performance: 'broken', satisfaction: 'not', clientKey: 'k' } as const;
    await new MutationObserver(queryClient, recordVisitMutation(queryClient)).mutate({ caseId: 42, visit });
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/disputes/42/visits',
      expect.objectContaining({ method: 'POST', body: JSON.stringify(visit) }),
    );
    const people = [mediatorList, mediator, caseMediators, checks, visits, dossier, meetingList, meeting, regularity];
    expect(staleOnes(queryClient)).toEqual(named(...people));
    queryClient = cacheWith(keys);
    const next = await new MutationObserver(queryClient, reopenCaseMutation(queryClient)).mutate({
      caseId: 42,
      version: 3,
      visitId: 9,
    });
    expect(next.id).toBe(43);
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/disputes/42/reopen',
      expect.objectContaining({ method: 'POST', body: JSON.stringify({ version: 3, visitId: 9 }) }),
    );
    expect(staleOnes(queryClient)).toEqual(named(...people, register, detail));
  });

  it('a dossier mark or a judicial confirmation refreshes the dossiers, nothing else', async () => {
    for (const run of [
      (c: QueryClient) =>
        new MutationObserver(c, markDossierItemMutation(c)).mutate({ caseId: 42, item: 'agreement', state: 'present' }),
      (c: QueryClient) =>
        new MutationObserver(c, saveConfirmationMutation(c)).mutate({
          caseId: 42,
          confirmation: { appliedOn: '2023-05-01', court: 'c', result: 'pending' },
        }),
    ]) {
      const queryClient = cacheWith(keys);
      await run(queryClient);
      expect(staleOnes(queryClient)).toEqual(named(dossier));
    }
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/disputes/42/judicial-confirmation',
      expect.objectContaining({ method: 'PUT' }),
    );
  });

  it('a meeting refreshes the meetings (list, detail, regularity), nothing else', async () => {
    const queryClient = cacheWith(keys);
    await new MutationObserver(queryClient, createMeetingMutation(queryClient)).mutate({
      kind: 'joint_meeting',
      heldOn: '2023-05-01',
      townCode: TOWN,
      title: 't',
      minutes: '',
      mediatorIds: [],
      accountIds: [],
      caseIds: [42],
      decisions: [],
      clientKey: 'k',
    });
    expect(fetchMock).toHaveBeenCalledWith('/api/meetings', expect.objectContaining({ method: 'POST' }));
    expect(staleOnes(queryClient)).toEqual(named(meetingList, meeting, regularity));
  });
});

describe('query keys', () => {
  it('are hierarchical: one case detail key for the register and the hot-spot drill-down', () => {
    expect(caseDetailQuery(42).queryKey).toEqual(['cases', 'detail', 42]);
    expect(openCasesFiltered.slice(0, 2)).toEqual(['disputes', 'open']);
  });
});
