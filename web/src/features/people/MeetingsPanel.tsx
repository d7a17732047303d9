import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { caseRegisterQuery } from '../../api/cases';
import { ApiError } from '../../api/client';
import { configQuery } from '../../api/config';
import {
  attendeesQuery,
  createMeetingMutation,
  type MeetingKind,
  meetingQuery,
  meetingsQuery,
  regularityQuery,
} from '../../api/people';
import { stationsQuery } from '../../api/stations';
import { type TaskAction, taskActions } from '../../api/tasks';
import { STATUS_GROUPS } from '../../lib/cases';
import { useMe } from '../auth/useMe';
import { QueryError, QueryLoading } from '../common/QueryStatus';
import type { ViewProps } from '../views/types';
import { MeetingRegularity } from './MeetingRegularity';
import { meetingPick, useMeetingPick } from './meetingPick';
import './people.css';
import { DateField } from '../common/DateField';

/** Joint and work meetings of a town: regularity against the expectation, the list, and a form to record one. */
export function MeetingsPanel({ town }: ViewProps) {
  const { t } = useTranslation();
  const me = useMe();
  const [form, setForm] = useState(false);
  const [saved, setSaved] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const regularity = useQuery(regularityQuery(town));
  const list = useQuery(meetingsQuery(town));
  const canRecord = me !== null && (me.role === 'admin' || me.role === 'town_officer') && town !== null;
  const r = regularity.data;
  return (
    <div className="people-panel" data-testid="meetings-panel">
      <p className="people-synthetic">{t('people.synthetic')}</p>
      {r ? <MeetingRegularity r={r} /> : null}
      {canRecord && !form ? (
        <button type="button" className="button" data-testid="meeting-new" onClick={() => setForm(true)}>
          + {t('people.meetings.new')}
        </button>
      ) : null}
      {saved ? (
        <p className="cases-hint" role="status" data-testid="meeting-saved">
          {t('people.meetings.form.saved')}
        </p>
      ) : null}
      {form && town ? (
        <MeetingForm
          town={town}
          onDone={(ok) => {
            setForm(false);
            setSaved(ok);
          }}
        />
      ) : null}
      <section className="people-card">
        <h3>{t('people.meetings.list')}</h3>
        {list.isPending ? <QueryLoading lines={4} /> : null}
        {list.isError ? <QueryError error={list.error} onRetry={() => list.refetch()} /> : null}
        {list.data?.items.length === 0 ? <p>{t('people.meetings.none')}</p> : null}
        <ul className="people-list" data-testid="meeting-list">
          {list.data?.items.map((m) => (
            <li key={m.id}>
              <button
                type="button"
                className="people-link"
                data-testid={`meeting-open-${m.id}`}
                aria-expanded={open === m.id}
                onClick={() => setOpen(open === m.id ? null : m.id)}
              >
                <strong>{m.heldOn}</strong> {t(`people.meetings.kind.${m.kind}`)} ·{' '}
                {m.townName ?? t('people.meetings.county')} · {m.title}
              </button>
              <br />
              <small>
                {t('people.meetings.counts', { attendees: m.attendees, cases: m.cases, decisions: m.decisions })}
              </small>
              {open === m.id ? <MeetingDetailView id={m.id} /> : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** One meeting's decisions, each with the task it became (交办) and that task's state. */
function MeetingDetailView({ id }: { id: number }) {
  const { t } = useTranslation();
  const q = useQuery(meetingQuery(id));
  if (q.isPending) return <QueryLoading lines={2} />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => q.refetch()} />;
  const m = q.data;
  return (
    <div className="people-meeting-detail" data-testid={`meeting-detail-${id}`}>
      {m.cases.length > 0 ? (
        <p>
          {t('peopleWork.decisions.cases')} {m.cases.map((c) => c.caseNo).join('、')}
        </p>
      ) : null}
      <ol>
        {m.decisions.map((d) => (
          <li key={d.id} data-testid={`meeting-decision-row-${d.position}`}>
            {d.text}
            {d.stationName ? ` · ${d.stationName}` : ''}
            {d.dueOn ? ` · ${t('tasks.dueLabel', { date: d.dueOn })}` : ''}
            {d.taskId !== null ? (
              <span className="people-badge" data-testid={`meeting-decision-task-${d.position}`}>
                {t('peopleWork.decisions.task', {
                  id: d.taskId,
                  status: t(`tasks.statuses.${d.taskStatus ?? 'assigned'}`),
                })}
              </span>
            ) : (
              <span className="people-muted"> · {t('peopleWork.decisions.noTask')}</span>
            )}
          </li>
        ))}
      </ol>
      {m.decisions.length === 0 ? <p>{t('peopleWork.decisions.none')}</p> : null}
      {m.minutes ? <p className="people-minutes">{m.minutes}</p> : null}
    </div>
  );
}

interface DecisionDraft {
  key: string;
  text: string;
  stationId: string;
  dueOn: string;
  disputeId: string;
  /** '' : only recorded; otherwise the task action it is handed out with. */
  action: TaskAction | '';
}

const newDecision = (key: string): DecisionDraft => ({
  key,
  text: '',
  stationId: '',
  dueOn: '',
  disputeId: '',
  action: '',
});

function MeetingForm({ town, onDone }: { town: string; onDone: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const today = useQuery(configQuery()).data?.dataPeriod.to.slice(0, 10) ?? new Date().toISOString().slice(0, 10);
  const options = useQuery(attendeesQuery(town));
  const cases = useQuery(
    caseRegisterQuery({ town, status: STATUS_GROUPS.open, q: null, overdue: false, sort: '-reportedAt' }),
  );
  const stations = useQuery(stationsQuery(town));
  const [kind, setKind] = useState<MeetingKind>('joint_meeting');
  const [heldOn, setHeldOn] = useState(today);
  const [title, setTitle] = useState('');
  const [minutes, setMinutes] = useState('');
  const [mediatorIds, setMediatorIds] = useState<number[]>([]);
  const [accountIds, setAccountIds] = useState<number[]>([]);
  const [caseIds, setCaseIds] = useState<number[]>([]);
  // Cases picked on the map live in the store the map overlay shares; the form forgets them when it closes.
  const pick = useMeetingPick();
  const picking = pick.town !== null;
  useEffect(() => () => meetingPick.reset(), []);
  const discussed = [...new Set([...caseIds, ...pick.picked.map((c) => c.id)])];
  const [decisions, setDecisions] = useState<DecisionDraft[]>([newDecision('first')]);
  const [clientKey] = useState(() => crypto.randomUUID());
  const toggle = (xs: number[], id: number) => (xs.includes(id) ? xs.filter((x) => x !== id) : [...xs, id]);
  const save = useMutation(createMeetingMutation(qc));
  const submit = () =>
    save.mutate(
      {
        kind,
        heldOn,
        townCode: town,
        title,
        minutes,
        mediatorIds,
        accountIds,
        caseIds: discussed,
        decisions: decisions
          .filter((d) => d.text.trim())
          .map((d) => ({
            text: d.text,
            ...(d.stationId ? { stationId: Number(d.stationId) } : {}),
            ...(d.dueOn ? { dueOn: d.dueOn } : {}),
            ...(d.disputeId ? { disputeId: Number(d.disputeId) } : {}),
            ...(d.action ? { task: { action: d.action } } : {}),
          })),
        clientKey,
      },
      { onSuccess: () => onDone(true) },
    );
  const message =
    save.error instanceof ApiError ? (save.error.body?.message ?? save.error.message) : save.error?.message;
  const caseNos: Record<number, string> = Object.fromEntries(pick.picked.map((c) => [c.id, c.caseNo]));
  for (const c of cases.data?.items ?? []) caseNos[c.id] = c.caseNo;
  const picked = discussed.map((id) => ({ id, caseNo: caseNos[id] ?? `#${id}` }));
  const work = (stations.data?.features ?? []).filter((f) =>
    ['police_station', 'judicial_office', 'joint_mediation_room'].includes(f.properties.kind),
  );
  return (
    <form
      className="people-card people-form"
      data-testid="meeting-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label>
        {t('people.meetings.form.kind')}
        <select value={kind} onChange={(e) => setKind(e.target.value as MeetingKind)}>
          <option value="joint_meeting">{t('people.meetings.kind.joint_meeting')}</option>
          <option value="work_meeting">{t('people.meetings.kind.work_meeting')}</option>
        </select>
      </label>
      <label>
        {t('people.meetings.form.heldOn')}
        <DateField value={heldOn} max={today} onChange={(v) => setHeldOn(v)} required />
      </label>
      <label className="wide">
        {t('people.meetings.form.title')}
        <input
          value={title}
          required
          maxLength={200}
          data-testid="meeting-title"
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      <fieldset className="wide">
        <legend>{t('people.meetings.form.attendees')}</legend>
        <div className="people-checkboxes">
          {options.data?.mediators.map((m) => (
            <label key={`m${m.id}`}>
              <input
                type="checkbox"
                checked={mediatorIds.includes(m.id)}
                onChange={() => setMediatorIds(toggle(mediatorIds, m.id))}
              />
              {m.name}（{t(`people.kind.${m.kind}`)}）
            </label>
          ))}
          {options.data?.accounts.map((a) => (
            <label key={`a${a.id}`}>
              <input
                type="checkbox"
                checked={accountIds.includes(a.id)}
                onChange={() => setAccountIds(toggle(accountIds, a.id))}
              />
              {a.displayName}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="wide" data-testid="meeting-cases">
        <legend>{t('people.meetings.form.cases')}</legend>
        {cases.data?.items.length === 0 ? <p>{t('people.meetings.form.noCases')}</p> : null}
        <div className="people-map-pick">
          <button
            type="button"
            className={`button ${picking ? '' : 'button--ghost'}`}
            aria-pressed={picking}
            data-testid="meeting-map-pick"
            onClick={() => (picking ? meetingPick.stop() : meetingPick.start(town, pick.picked))}
          >
            {t(picking ? 'peopleWork.mapPick.stop' : 'peopleWork.mapPick.start')}
          </button>
          {picking ? <span className="cases-hint">{t('peopleWork.mapPick.hint')}</span> : null}
          {pick.picked.length > 0 ? (
            <span data-testid="meeting-map-picked">
              {t('peopleWork.mapPick.picked', { count: pick.picked.length })}：
              {pick.picked.map((c) => c.caseNo).join('、')}
            </span>
          ) : null}
        </div>
        <div className="people-checkboxes">
          {cases.data?.items.slice(0, 30).map((c) => (
            <label key={c.id}>
              <input
                type="checkbox"
                data-testid={`meeting-case-${c.id}`}
                checked={caseIds.includes(c.id)}
                onChange={() => setCaseIds(toggle(caseIds, c.id))}
              />
              {c.caseNo} {t(`category.${c.category}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="wide">
        <legend>{t('people.meetings.form.decisions')}</legend>
        {decisions.map((d, i) => (
          <div key={d.key} className="people-form">
            <label className="wide">
              {t('people.meetings.form.decision')}
              <input
                value={d.text}
                data-testid={`meeting-decision-${i}`}
                onChange={(e) => setDecisions(decisions.map((x, j) => (j === i ? { ...x, text: e.target.value } : x)))}
              />
            </label>
            <label>
              {t('people.meetings.form.station')}
              <select
                value={d.stationId}
                data-testid={`meeting-decision-station-${i}`}
                onChange={(e) =>
                  setDecisions(decisions.map((x, j) => (j === i ? { ...x, stationId: e.target.value } : x)))
                }
              >
                <option value="">—</option>
                {work.map((s) => (
                  <option key={s.properties.id} value={s.properties.id}>
                    {s.properties.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('people.meetings.form.dueOn')}
              <DateField
                value={d.dueOn}
                data-testid={`meeting-decision-due-${i}`}
                onChange={(v) => setDecisions(decisions.map((x, j) => (j === i ? { ...x, dueOn: v } : x)))}
              />
            </label>
            <label>
              {t('peopleWork.decisions.case')}
              <select
                value={d.disputeId}
                data-testid={`meeting-decision-case-${i}`}
                onChange={(e) =>
                  setDecisions(decisions.map((x, j) => (j === i ? { ...x, disputeId: e.target.value } : x)))
                }
              >
                <option value="">—</option>
                {picked.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.caseNo}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('peopleWork.decisions.asTask')}
              <select
                value={d.action}
                data-testid={`meeting-decision-task-${i}`}
                onChange={(e) =>
                  setDecisions(
                    decisions.map((x, j) => (j === i ? { ...x, action: e.target.value as TaskAction | '' } : x)),
                  )
                }
              >
                <option value="">{t('peopleWork.decisions.recordOnly')}</option>
                {taskActions.map((a) => (
                  <option key={a} value={a}>
                    {t('peopleWork.decisions.handOut', { action: t(`tasks.actions.${a}`) })}
                  </option>
                ))}
              </select>
            </label>
          </div>
        ))}
        <button
          type="button"
          className="button button--ghost"
          onClick={() => setDecisions([...decisions, newDecision(crypto.randomUUID())])}
        >
          + {t('people.meetings.form.addDecision')}
        </button>
        <p className="cases-hint">{t('peopleWork.decisions.note')}</p>
      </fieldset>
      <label className="wide">
        {t('people.meetings.form.minutes')}
        <textarea value={minutes} maxLength={20000} onChange={(e) => setMinutes(e.target.value)} />
      </label>
      <button type="submit" className="button" disabled={save.isPending} data-testid="meeting-save">
        {t('people.meetings.form.save')}
      </button>
      <button type="button" className="button button--ghost" onClick={() => onDone(false)}>
        {t('people.meetings.form.cancel')}
      </button>
      {message ? (
        <p className="cases-error" role="alert">
          {message}
        </p>
      ) : null}
    </form>
  );
}
