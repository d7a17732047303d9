import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checksQuery, type MediatorKind, mediatorQuery, mediatorsQuery, sendPeople } from '../../api/people';
import { useMe } from '../auth/useMe';
import { QueryError, QueryLoading } from '../common/QueryStatus';
import type { ViewProps } from '../views/types';
import './people.css';

const KINDS: MediatorKind[] = ['judicial_assistant', 'peoples_mediator', 'police_officer', 'specialist_mediator'];
const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);

/** The register of mediators and staff of a town (or the county), its checks, and one mediator's detail. */
export function MediatorsPanel({ town }: ViewProps) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<MediatorKind | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const list = useQuery(mediatorsQuery(town, kind));
  const checks = useQuery(checksQuery(town));
  if (open !== null) return <MediatorDetail id={open} onBack={() => setOpen(null)} />;
  const c = checks.data;
  return (
    <div className="people-panel" data-testid="mediators-panel">
      <p className="people-synthetic">{t('people.synthetic')}</p>
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

function MediatorDetail({ id, onBack }: { id: number; onBack: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const q = useQuery(mediatorQuery(id));
  const reveal = useMutation({
    mutationFn: () => sendPeople<{ name: string }>('POST', `/api/mediators/${id}/reveal`, {}),
  });
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
          <button type="button" className="button button--ghost" onClick={() => reveal.mutate()}>
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
        <dd>
          {m.appointmentNo
            ? t('people.detail.appointmentValue', {
                no: m.appointmentNo,
                by: m.appointedBy ?? '',
                from: m.appointedFrom ?? '',
                to: m.appointedTo ?? '',
              })
            : '—'}
        </dd>
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
      <ul className="people-list">
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
