import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { caseRegisterQuery } from '../../api/cases';
import { ApiError } from '../../api/client';
import { configQuery } from '../../api/config';
import {
  attendeesQuery,
  type MeetingKind,
  meetingsQuery,
  peopleKeys,
  regularityQuery,
  sendPeople,
} from '../../api/people';
import { stationsQuery } from '../../api/stations';
import { STATUS_GROUPS } from '../../lib/cases';
import { useMe } from '../auth/useMe';
import { QueryError, QueryLoading } from '../common/QueryStatus';
import type { ViewProps } from '../views/types';
import './people.css';

const pct = (r: number) => `${(r * 100).toFixed(0)}%`;

/** Joint and work meetings of a town: regularity against the expectation, the list, and a form to record one. */
export function MeetingsPanel({ town }: ViewProps) {
  const { t } = useTranslation();
  const me = useMe();
  const [form, setForm] = useState(false);
  const [saved, setSaved] = useState(false);
  const regularity = useQuery(regularityQuery(town));
  const list = useQuery(meetingsQuery(town));
  const canRecord = me !== null && (me.role === 'admin' || me.role === 'town_officer') && town !== null;
  const r = regularity.data;
  return (
    <div className="people-panel" data-testid="meetings-panel">
      <p className="people-synthetic">{t('people.synthetic')}</p>
      {r ? (
        <section className="people-card people-regularity" data-testid="meeting-regularity">
          <h3>{t('people.meetings.regularity', { every: t(`people.meetings.every.${r.every}`) })}</h3>
          <table className="people-table">
            <tbody>
              {r.towns.map((x) => (
                <tr key={x.townCode}>
                  <td>{x.townName}</td>
                  <td className={`num ${x.rate < 0.75 ? 'low' : ''}`}>
                    {t('people.meetings.regularityRow', { met: x.met, expected: x.expected })} · {pct(x.rate)}
                  </td>
                  <td>
                    {t('people.meetings.lastHeld')} {x.lastHeldOn ?? '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
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
              <strong>{m.heldOn}</strong> {t(`people.meetings.kind.${m.kind}`)} ·{' '}
              {m.townName ?? t('people.meetings.county')} · {m.title}
              <br />
              <small>
                {t('people.meetings.counts', { attendees: m.attendees, cases: m.cases, decisions: m.decisions })}
              </small>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

interface DecisionDraft {
  key: string;
  text: string;
  stationId: string;
  dueOn: string;
}

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
  const [decisions, setDecisions] = useState<DecisionDraft[]>([{ key: 'first', text: '', stationId: '', dueOn: '' }]);
  const [clientKey] = useState(() => crypto.randomUUID());
  const toggle = (xs: number[], id: number) => (xs.includes(id) ? xs.filter((x) => x !== id) : [...xs, id]);
  const save = useMutation({
    mutationFn: () =>
      sendPeople('POST', '/api/meetings', {
        kind,
        heldOn,
        townCode: town,
        title,
        minutes,
        mediatorIds,
        accountIds,
        caseIds,
        decisions: decisions
          .filter((d) => d.text.trim())
          .map((d) => ({
            text: d.text,
            ...(d.stationId ? { stationId: Number(d.stationId) } : {}),
            ...(d.dueOn ? { dueOn: d.dueOn } : {}),
          })),
        clientKey,
      }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: peopleKeys.meetings });
      onDone(true);
    },
  });
  const message =
    save.error instanceof ApiError ? (save.error.body?.message ?? save.error.message) : save.error?.message;
  const work = (stations.data?.features ?? []).filter((f) =>
    ['police_station', 'judicial_office', 'joint_mediation_room'].includes(f.properties.kind),
  );
  return (
    <form
      className="people-card people-form"
      data-testid="meeting-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
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
        <input type="date" value={heldOn} max={today} onChange={(e) => setHeldOn(e.target.value)} required />
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
              <input
                type="date"
                value={d.dueOn}
                onChange={(e) => setDecisions(decisions.map((x, j) => (j === i ? { ...x, dueOn: e.target.value } : x)))}
              />
            </label>
          </div>
        ))}
        <button
          type="button"
          className="button button--ghost"
          onClick={() => setDecisions([...decisions, { key: crypto.randomUUID(), text: '', stationId: '', dueOn: '' }])}
        >
          + {t('people.meetings.form.addDecision')}
        </button>
        <p className="cases-hint">{t('people.meetings.decisionsNote')}</p>
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
