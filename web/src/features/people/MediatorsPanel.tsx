import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { adminUnitsQuery } from '../../api/admin-units';
import { ApiError } from '../../api/client';
import { configQuery } from '../../api/config';
import {
  addTrainingMutation,
  checksQuery,
  createMediatorMutation,
  type MediatorKind,
  type MediatorDetail as MediatorRecord,
  mediatorQuery,
  mediatorsQuery,
  revealMediatorMutation,
} from '../../api/people';
import { stationsQuery } from '../../api/stations';
import { useMe } from '../auth/useMe';
import { QueryError, QueryLoading } from '../common/QueryStatus';
import type { ViewProps } from '../views/types';
import { FollowUpFigures } from './FollowUpFigures';
import './people.css';
import { DateField } from '../common/DateField';

const KINDS: MediatorKind[] = ['judicial_assistant', 'peoples_mediator', 'police_officer', 'specialist_mediator'];
const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);

/** The register of mediators and staff of a town (or the county), its checks, and one mediator's detail. */
export function MediatorsPanel({ town }: ViewProps) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<MediatorKind | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [registering, setRegistering] = useState(false);
  const me = useMe();
  const list = useQuery(mediatorsQuery(town, kind));
  const checks = useQuery(checksQuery(town));
  if (open !== null) return <MediatorDetail id={open} onBack={() => setOpen(null)} />;
  const c = checks.data;
  // The register is kept by the county and the towns; a new entry serves one town's station or committee.
  const keeper = me !== null && (me.role === 'admin' || me.role === 'town_officer') && town !== null;
  return (
    <div className="people-panel" data-testid="mediators-panel">
      <p className="people-synthetic">{t('people.synthetic')}</p>
      {keeper && !registering ? (
        <button type="button" className="button" data-testid="mediator-new" onClick={() => setRegistering(true)}>
          + {t('peopleWork.mediatorForm.new')}
        </button>
      ) : null}
      {keeper && registering ? (
        <MediatorForm
          town={town}
          onDone={(id) => {
            setRegistering(false);
            if (id !== null) setOpen(id);
          }}
        />
      ) : null}
      <section className="people-card" data-testid="register-checks">
        <h3>{t('people.checks.title')}</h3>
        {c ? (
          <>
            <p className="cases-hint">
              {t('people.checks.counts', {
                a: c.counts.appointment_expiring ?? 0,
                q: c.counts.qualification_expiring ?? 0,
                r: c.counts.room_without_assistant ?? 0,
                t: c.counts.training_short ?? 0,
              })}
            </p>
            {c.items.length === 0 ? <p>{t('people.checks.none')}</p> : null}
            <ul className="people-list people-checks">
              {c.items.slice(0, 12).map((f) => (
                <li key={`${f.rule}-${f.subjectId}`} className={`check-${f.rule}`}>
                  {f.mediator ? (
                    <button type="button" className="link-button" onClick={() => setOpen(f.subjectId)}>
                      {f.mediator.name} · {t(`people.kind.${f.mediator.kind}`)} · {f.mediator.serves ?? ''}
                    </button>
                  ) : null}{' '}
                  {t(`people.checks.${f.rule}`, {
                    due: f.due ?? '',
                    days: f.daysLeft ?? '',
                    station: f.stationName ?? '',
                    hours: f.hours ?? 0,
                    required: f.requiredHours ?? 0,
                  })}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <FollowUpFigures town={town} />
      <section className="people-card">
        <h3>
          {t('people.register', { count: list.data?.total ?? 0 })}{' '}
          <select value={kind ?? ''} onChange={(e) => setKind((e.target.value || null) as MediatorKind | null)}>
            <option value="">{t('people.allKinds')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`people.kind.${k}`)}
              </option>
            ))}
          </select>
        </h3>
        {list.isPending ? <QueryLoading lines={6} /> : null}
        {list.isError ? <QueryError error={list.error} onRetry={() => list.refetch()} /> : null}
        {list.data ? (
          <table className="people-table" data-testid="mediator-table">
            <thead>
              <tr>
                <th>{t('people.col.name')}</th>
                <th>{t('people.col.kind')}</th>
                <th>{t('people.col.serves')}</th>
                <th className="num">{t('people.col.cases')}</th>
                <th className="num">{t('people.col.successRate')}</th>
                <th className="num">{t('people.col.load')}</th>
                <th className="num">{t('people.col.hours')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.slice(0, 300).map((m) => (
                <tr key={m.id} className={m.active ? '' : 'people-inactive'}>
                  <td>
                    <button type="button" className="link-button" onClick={() => setOpen(m.id)}>
                      {m.name}
                    </button>
                    {m.active ? '' : ` (${t('people.inactive')})`}
                  </td>
                  <td>{t(`people.kind.${m.kind}`)}</td>
                  <td>{m.stationName ?? m.villageName ?? ''}</td>
                  <td className="num">{m.figures.cases}</td>
                  <td className="num">{pct(m.figures.successRate)}</td>
                  <td className="num">{m.figures.load}</td>
                  <td className="num">{m.hoursThisYear}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}

const errorText = (e: unknown) =>
  e instanceof ApiError ? (e.body?.message ?? e.message) : e instanceof Error ? e.message : null;

const orNull = (v: string) => (v.trim() ? v.trim() : null);

function MediatorForm({ town, onDone }: { town: string; onDone: (id: number | null) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const stations = useQuery(stationsQuery(town));
  const villages = useQuery(adminUnitsQuery('village', town));
  const [f, setF] = useState({
    name: '',
    kind: 'peoples_mediator' as MediatorKind,
    stationId: '',
    villageCode: '',
    appointmentNo: '',
    appointedBy: '',
    appointedFrom: '',
    appointedTo: '',
    qualification: '',
    qualificationExpiresOn: '',
  });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const save = useMutation(createMediatorMutation(qc));
  const submit = () =>
    save.mutate(
      {
        name: f.name,
        kind: f.kind,
        ...(f.stationId ? { stationId: Number(f.stationId) } : {}),
        ...(f.villageCode ? { villageCode: f.villageCode } : {}),
        appointmentNo: orNull(f.appointmentNo),
        appointedBy: orNull(f.appointedBy),
        appointedFrom: orNull(f.appointedFrom),
        appointedTo: orNull(f.appointedTo),
        qualification: orNull(f.qualification),
        qualificationExpiresOn: orNull(f.qualificationExpiresOn),
      },
      { onSuccess: (m) => onDone(m.id) },
    );
  const serving = (stations.data?.features ?? []).filter((s) => s.properties.kind !== 'court_tribunal');
  const message = errorText(save.error);
  return (
    <form
      className="people-card people-form"
      data-testid="mediator-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3 className="wide">{t('peopleWork.mediatorForm.title')}</h3>
      <label>
        {t('peopleWork.mediatorForm.name')}
        <input value={f.name} required maxLength={50} data-testid="mediator-name" onChange={set('name')} />
      </label>
      <label>
        {t('peopleWork.mediatorForm.kind')}
        <select value={f.kind} data-testid="mediator-kind" onChange={set('kind')}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`people.kind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('peopleWork.mediatorForm.station')}
        <select
          value={f.stationId}
          data-testid="mediator-station"
          onChange={(e) => setF({ ...f, stationId: e.target.value, villageCode: '' })}
        >
          <option value="">—</option>
          {serving.map((s) => (
            <option key={s.properties.id} value={s.properties.id}>
              {s.properties.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('peopleWork.mediatorForm.village')}
        <select
          value={f.villageCode}
          data-testid="mediator-village"
          onChange={(e) => setF({ ...f, villageCode: e.target.value, stationId: '' })}
        >
          <option value="">—</option>
          {(villages.data?.features ?? []).map((v) => (
            <option key={v.properties.code} value={v.properties.code}>
              {v.properties.name}
            </option>
          ))}
        </select>
      </label>
      <p className="cases-hint wide">{t('peopleWork.mediatorForm.servesHint')}</p>
      <label>
        {t('peopleWork.mediatorForm.appointmentNo')}
        <input
          value={f.appointmentNo}
          maxLength={40}
          data-testid="mediator-appointment"
          onChange={set('appointmentNo')}
        />
      </label>
      <label>
        {t('peopleWork.mediatorForm.appointedBy')}
        <input value={f.appointedBy} maxLength={100} data-testid="mediator-issuer" onChange={set('appointedBy')} />
      </label>
      <label>
        {t('peopleWork.mediatorForm.appointedFrom')}
        <DateField
          value={f.appointedFrom}
          data-testid="mediator-from"
          onChange={(v) => setF({ ...f, appointedFrom: v })}
        />
      </label>
      <label>
        {t('peopleWork.mediatorForm.appointedTo')}
        <DateField value={f.appointedTo} data-testid="mediator-to" onChange={(v) => setF({ ...f, appointedTo: v })} />
      </label>
      <label>
        {t('peopleWork.mediatorForm.qualification')}
        <input value={f.qualification} maxLength={100} onChange={set('qualification')} />
      </label>
      <label>
        {t('peopleWork.mediatorForm.qualificationExpiresOn')}
        <DateField value={f.qualificationExpiresOn} onChange={(v) => setF({ ...f, qualificationExpiresOn: v })} />
      </label>
      <button type="submit" className="button" disabled={save.isPending} data-testid="mediator-save">
        {t('peopleWork.mediatorForm.save')}
      </button>
      <button type="button" className="button button--ghost" onClick={() => onDone(null)}>
        {t('peopleWork.mediatorForm.cancel')}
      </button>
      {message ? (
        <p className="cases-error wide" role="alert" data-testid="mediator-error">
          {message}
        </p>
      ) : null}
    </form>
  );
}

function TrainingForm({ id, onDone }: { id: number; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const today = useQuery(configQuery()).data?.dataPeriod.to.slice(0, 10) ?? '';
  const [trainedOn, setTrainedOn] = useState(today);
  const [hours, setHours] = useState('');
  const [course, setCourse] = useState('');
  const save = useMutation(addTrainingMutation(qc));
  const submit = () => save.mutate({ id, trainedOn, hours: Number(hours), course }, { onSuccess: onDone });
  const message = errorText(save.error);
  return (
    <form
      className="people-form"
      data-testid="training-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label>
        {t('peopleWork.trainingForm.trainedOn')}
        <DateField
          value={trainedOn}
          max={today || undefined}
          required
          data-testid="training-date"
          onChange={(v) => setTrainedOn(v)}
        />
      </label>
      <label>
        {t('peopleWork.trainingForm.hours')}
        <input
          type="number"
          min={0.5}
          max={200}
          step={0.5}
          value={hours}
          required
          data-testid="training-hours"
          onChange={(e) => setHours(e.target.value)}
        />
      </label>
      <label className="wide">
        {t('peopleWork.trainingForm.course')}
        <input
          value={course}
          required
          maxLength={200}
          data-testid="training-course"
          onChange={(e) => setCourse(e.target.value)}
        />
      </label>
      <button type="submit" className="button" disabled={save.isPending} data-testid="training-save">
        {t('peopleWork.trainingForm.save')}
      </button>
      <button type="button" className="button button--ghost" onClick={onDone}>
        {t('peopleWork.trainingForm.cancel')}
      </button>
      {message ? (
        <p className="cases-error wide" role="alert">
          {message}
        </p>
      ) : null}
    </form>
  );
}

function MediatorDetail({ id, onBack }: { id: number; onBack: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [training, setTraining] = useState(false);
  const q = useQuery(mediatorQuery(id));
  const reveal = useMutation(revealMediatorMutation());
  if (q.isPending) return <QueryLoading lines={5} />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => q.refetch()} />;
  const m = q.data;
  return (
    <article className="people-panel" data-testid="mediator-detail">
      <button type="button" className="button button--ghost" onClick={onBack}>
        ← {t('people.detail.back')}
      </button>
      <h3>
        {reveal.data?.name ?? m.name} · {t(`people.kind.${m.kind}`)}{' '}
        {me && me.role !== 'leader' && !reveal.data ? (
          <button type="button" className="button button--ghost" onClick={() => reveal.mutate(id)}>
            {t('people.detail.reveal')}
          </button>
        ) : null}
      </h3>
      <p>
        {m.townName} · {m.stationName ?? m.villageName ?? ''}
        {m.active ? '' : ` · ${t('people.inactive')}`}
      </p>
      <dl className="case-facts">
        <dt>{t('people.detail.appointment')}</dt>
        <dd>{appointmentText(m, t)}</dd>
        <dt>{t('people.detail.qualification')}</dt>
        <dd>
          {m.qualification
            ? t('people.detail.qualificationValue', { what: m.qualification, until: m.qualificationExpiresOn ?? '' })
            : '—'}
        </dd>
      </dl>
      <p data-testid="mediator-figures">
        {t('people.detail.figures', {
          cases: m.figures.cases,
          resolved: m.figures.resolved,
          rate: pct(m.figures.successRate),
          days: m.figures.meanDays ?? '–',
          load: m.figures.load,
        })}
      </p>
      <h4>{t('people.detail.trainings')}</h4>
      {m.trainings.length === 0 ? <p>{t('people.detail.noTrainings')}</p> : null}
      {me && (me.role === 'admin' || me.role === 'town_officer') ? (
        training ? (
          <TrainingForm id={id} onDone={() => setTraining(false)} />
        ) : (
          <button
            type="button"
            className="button button--ghost"
            data-testid="training-add"
            onClick={() => setTraining(true)}
          >
            + {t('peopleWork.trainingForm.add')}
          </button>
        )
      ) : null}
      <ul className="people-list" data-testid="mediator-trainings">
        {m.trainings.map((x) => (
          <li key={x.id}>{t('people.detail.training', { date: x.trainedOn, course: x.course, hours: x.hours })}</li>
        ))}
      </ul>
      <h4>{t('people.detail.recentCases')}</h4>
      <ul className="people-list">
        {m.recentCases.map((c) => (
          <li key={c.id}>
            {c.caseNo} · {t(`status.${c.status as 'resolved'}`)} · {c.reportedOn}
          </li>
        ))}
      </ul>
    </article>
  );
}

/** 聘书: its number, then only the parts recorded (issuer, term), so a missing issuer leaves no empty comma. */
function appointmentText(m: MediatorRecord, t: TFunction): string {
  if (!m.appointmentNo) return '—';
  const term =
    m.appointedFrom || m.appointedTo
      ? t('people.detail.term', { from: m.appointedFrom ?? '…', to: m.appointedTo ?? '…' })
      : null;
  const rest = [m.appointedBy, term].filter(Boolean).join(t('people.detail.sep'));
  return rest ? t('people.detail.appointmentValue', { no: m.appointmentNo, rest }) : m.appointmentNo;
}
