import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CaseDetail, type CaseStatus, type CaseStep, caseDetailQuery, caseStepMutation } from '../../api/cases';
import { ApiError } from '../../api/client';
import { configQuery } from '../../api/config';
import { stationsQuery } from '../../api/stations';
import {
  isOneOf,
  type ReferralKind,
  type ResolutionLevel,
  referralKinds,
  resolutionLevels,
} from '../../api/vocabulary';
import { useMe } from '../auth/useMe';
import { QueryBoundary } from '../common/QueryBoundary';
import { CaseDossier } from '../people/CaseDossier';
import { CaseMediators } from '../people/CaseMediators';
import { CaseVisits } from '../people/CaseVisits';
import { AssignTaskButton } from '../tasks/TaskForm';
import { CaseParties } from './CaseParties';
import { useCaseState } from './useCaseState';

/** One case: place, escalation factors, masked parties, history timeline, and the legal next moves. */
export function CaseDetailView({ id }: { id: number }) {
  const q = useQuery(caseDetailQuery(id));
  return (
    <QueryBoundary query={q} lines={5}>
      {(c) => <CaseDetailBody c={c} />}
    </QueryBoundary>
  );
}

function CaseDetailBody({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const { setCaseId, setMode } = useCaseState();
  const me = useMe();
  const today = useQuery(configQuery()).data?.dataPeriod.to.slice(0, 10) ?? new Date().toISOString().slice(0, 10);
  return (
    <article className="case-detail" data-testid="case-detail" data-status={c.status}>
      <header className="case-detail-head">
        <button type="button" className="button button--ghost" onClick={() => setCaseId(null)}>
          ← {t('cases.back')}
        </button>
        <h3>
          {c.caseNo}{' '}
          <span className={`case-status case-status--${c.status}`} data-testid="case-status">
            {t(`status.${c.status}`)}
          </span>
        </h3>
      </header>
      <dl className="case-facts">
        <dt>{t('cases.field.category')}</dt>
        <dd>
          {t(`category.${c.category}`)} · <span className={`risk-dot risk-dot--${c.riskLevel}`} />{' '}
          {t(`riskLevel.${c.riskLevel}`)}
        </dd>
        <dt>{t('cases.field.place')}</dt>
        <dd>
          {c.townName} {c.villageName ?? ''}{' '}
          <small>
            ({c.lon.toFixed(5)}, {c.lat.toFixed(5)})
          </small>
        </dd>
        <dt>{t('cases.field.station')}</dt>
        <dd data-testid="case-station">
          {c.stationName ?? '—'}
          {c.channel ? ` · ${t(`cases.channel.${c.channel}`)}` : ''}
        </dd>
        <dt>{t('cases.field.deadline')}</dt>
        <dd className={c.overdue ? 'case-overdue' : ''}>
          {c.dueAt ? `${c.dueAt.slice(0, 10)}${c.overdue ? ` · ${t('cases.overdue')}` : ''}` : '—'}
        </dd>
        {c.summary ? (
          <>
            <dt>{t('cases.field.summary')}</dt>
            <dd>{c.summary}</dd>
          </>
        ) : null}
      </dl>
      <section className="case-escalation" aria-label={t('cases.escalation.title')}>
        <h4>
          {t('cases.escalation.title')}{' '}
          <span className={`esc-badge esc-badge--${c.escalation.band}`}>{c.escalation.score}</span>
        </h4>
        <ul>
          {c.escalation.factors
            .filter((f) => f.points > 0)
            .map((f) => (
              <li key={f.factor}>
                {t(`cases.escalation.${f.factor}`)}: +{f.points}
              </li>
            ))}
        </ul>
      </section>
      {c.parties.length > 0 ? <CaseParties caseId={c.id} parties={c.parties} /> : null}
      {c.repeats.length > 0 || c.reopenedFromId || c.reopenedAs.length > 0 ? (
        <section>
          <h4>{t('cases.links')}</h4>
          <ul className="case-links">
            {c.reopenedFromId ? (
              <li>
                <button type="button" className="link-button" onClick={() => setCaseId(c.reopenedFromId)}>
                  {t('cases.reopenedFrom')}
                </button>
              </li>
            ) : null}
            {c.reopenedAs.map((r) => (
              <li key={r.id}>
                <button type="button" className="link-button" onClick={() => setCaseId(r.id)}>
                  {t('cases.reopenedAs', { caseNo: r.caseNo })}
                </button>
              </li>
            ))}
            {c.repeats.slice(0, 5).map((r) => (
              <li key={r.id}>
                <button type="button" className="link-button" onClick={() => setCaseId(r.id)}>
                  {r.caseNo} {r.villageName ?? ''} · {r.sameParties ? t('cases.sameParties') : t('cases.samePlace')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <CaseActions c={c} onEdit={() => setMode('edit')} />
      <AssignTaskButton
        role={me?.role}
        subject={{
          kind: 'case',
          town: c.townCode,
          label: c.caseNo,
          disputeId: c.id,
          ...(c.villageCode ? { villageCode: c.villageCode } : {}),
        }}
      />
      {/* Issue 18: the case's mediators, follow-up visits and the dossier, each with its own queries. */}
      <CaseMediators
        caseId={c.id}
        town={c.townCode}
        stationId={c.stationId}
        canEdit={me?.role === 'admin' || me?.role === 'town_officer' || me?.role === 'station_staff'}
      />
      <CaseVisits caseId={c.id} today={today} />
      <CaseDossier caseId={c.id} canEdit={me !== null && me.role !== 'leader'} resolved={c.status === 'resolved'} />
      <section aria-label={t('cases.history')}>
        <h4>{t('cases.history')}</h4>
        <ol className="case-timeline" data-testid="case-timeline">
          {c.events.map((e) => (
            <li key={e.id} className={`case-event case-event--${e.kind}`}>
              <time>{e.occurredAt.slice(0, 16).replace('T', ' ')}</time>
              <span>
                {e.kind === 'handoff'
                  ? t('cases.event.handoff', { from: e.stationName ?? '—', to: e.toStationName ?? '—' })
                  : e.kind === 'transition'
                    ? t('cases.event.transition', {
                        from: e.fromStatus ? t(`status.${e.fromStatus}`) : '—',
                        to: e.toStatus ? t(`status.${e.toStatus}`) : '—',
                      })
                    : t(`cases.event.${e.kind}`, { caseNo: e.linkedCaseNo ?? '' })}
                {e.level ? ` · ${t(`cases.level.${e.level}`)}` : ''}
                {e.channel ? ` · ${t(`cases.channel.${e.channel}`)}` : ''}
              </span>
              <small className="case-event-note">
                {e.actor}
                {e.note ? ` — ${e.note}` : ''}
              </small>
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}

function CaseActions({ c, onEdit }: { c: CaseDetail; onEdit: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { setCaseId } = useCaseState();
  const [level, setLevel] = useState<ResolutionLevel>('town');
  const [referral, setReferral] = useState<ReferralKind>('litigation');
  const [note, setNote] = useState('');
  const stations = useQuery(stationsQuery(c.townCode));
  const targets = (stations.data?.features ?? []).filter(
    (f) =>
      f.properties.id !== c.stationId &&
      ['police_station', 'judicial_office', 'joint_mediation_room'].includes(f.properties.kind),
  );
  const step = useMutation(caseStepMutation(qc));
  // On reopen the answer is the new linked case: the panel moves to it.
  const act = (path: CaseStep['step'], body: CaseStep['body']) =>
    step.mutate(
      { id: c.id, version: c.version, step: path, body },
      {
        onSuccess: (next) => {
          setNote('');
          if (next.id !== c.id) setCaseId(next.id);
        },
      },
    );
  const move = (to: CaseStatus) =>
    act('transitions', {
      to,
      ...(note ? { note } : {}),
      ...(to === 'resolved' ? { level } : {}),
      ...(to === 'referred' ? { referralKind: referral } : {}),
    });
  const error = step.error instanceof ApiError ? (step.error.body?.message ?? step.error.message) : step.error?.message;
  const open = c.status === 'reported' || c.status === 'accepted' || c.status === 'mediating';
  return (
    <section className="case-actions" aria-label={t('cases.actions')}>
      <h4>{t('cases.actions')}</h4>
      <input
        className="case-note"
        placeholder={t('cases.note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      {c.allowedTransitions.includes('resolved') ? (
        <label className="case-inline">
          {t('cases.field.level')}
          <select
            value={level}
            onChange={(e) => isOneOf(resolutionLevels, e.target.value) && setLevel(e.target.value)}
            data-testid="case-level"
          >
            {resolutionLevels.map((l) => (
              <option key={l} value={l}>
                {t(`cases.level.${l}`)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {c.allowedTransitions.includes('referred') ? (
        <label className="case-inline">
          {t('cases.field.referral')}
          <select
            value={referral}
            onChange={(e) => isOneOf(referralKinds, e.target.value) && setReferral(e.target.value)}
          >
            {referralKinds.map((r) => (
              <option key={r} value={r}>
                {t(`cases.referral.${r}`)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div className="case-buttons">
        {c.allowedTransitions.map((to) => (
          <button
            key={to}
            type="button"
            className="button"
            disabled={step.isPending}
            data-testid={`case-to-${to}`}
            onClick={() => move(to)}
          >
            {t(`cases.to.${to}`)}
          </button>
        ))}
        {c.canReopen ? (
          <button
            type="button"
            className="button button--ghost"
            data-testid="case-reopen"
            onClick={() => act('reopen', note ? { note } : {})}
          >
            {t('cases.reopen')}
          </button>
        ) : null}
        <button type="button" className="button button--ghost" onClick={onEdit} data-testid="case-edit">
          {t('cases.edit')}
        </button>
      </div>
      {open && targets.length > 0 ? (
        <div className="case-handoff">
          <span>{t('cases.handoffTo')}</span>
          {targets.map((s) => (
            <button
              key={s.properties.id}
              type="button"
              className="button button--ghost"
              disabled={step.isPending || c.stationId === null}
              data-testid={`case-handoff-${s.properties.kind}`}
              onClick={() => act('handoffs', { toStationId: s.properties.id, ...(note ? { note } : {}) })}
            >
              {s.properties.name}
            </button>
          ))}
        </div>
      ) : null}
      {c.status === 'resolved' && c.agreements.length === 0 ? (
        <button
          type="button"
          className="button button--ghost"
          onClick={() =>
            act('agreement', { agreedOn: c.resolvedAt?.slice(0, 10) ?? c.reportedAt.slice(0, 10), kind: 'written' })
          }
        >
          {t('cases.recordAgreement')}
        </button>
      ) : null}
      {c.agreements.map((a) => (
        <p key={a.id} className="cases-hint">
          {t('cases.agreement', { date: a.agreedOn, kind: t(`cases.agreementKind.${a.kind}`) })}
          {a.followUpOn ? ` · ${t('cases.followUp', { date: a.followUpOn })}` : ''}
        </p>
      ))}
      {error ? (
        <p className="cases-error" role="alert" data-testid="case-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
