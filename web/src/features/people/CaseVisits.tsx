import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import {
  caseVisitsQuery,
  type Performance,
  recordVisitMutation,
  reopenCaseMutation,
  type Satisfaction,
} from '../../api/people';
import { useCaseState } from '../cases/useCaseState';
import { DateField } from '../common/DateField';

const PERFORMANCES: Performance[] = ['honoured', 'partly', 'broken'];
const SATISFACTIONS: Satisfaction[] = ['satisfied', 'basically', 'not'];

/** Follow-up visits of a resolved case: the due date, the visits, a form, and the reopen a bad visit offers. */
export function CaseVisits({ caseId, today }: { caseId: number; today: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { setCaseId } = useCaseState();
  const q = useQuery(caseVisitsQuery(caseId));
  const [visitedOn, setVisitedOn] = useState(today);
  const [performance, setPerformance] = useState<Performance>('honoured');
  const [satisfaction, setSatisfaction] = useState<Satisfaction>('satisfied');
  const [note, setNote] = useState('');
  const [clientKey, setClientKey] = useState(() => crypto.randomUUID());
  const record = useMutation(recordVisitMutation(qc));
  const recordVisit = () =>
    record.mutate(
      { caseId, visit: { visitedOn, performance, satisfaction, clientKey, ...(note ? { note } : {}) } },
      {
        onSuccess: () => {
          setNote('');
          setClientKey(crypto.randomUUID());
        },
      },
    );
  // Open the new case at once; the register and figures refresh behind it (a town's ranking takes seconds).
  const reopen = useMutation(reopenCaseMutation(qc));
  const reopenAs = (visitId: number) =>
    reopen.mutate({ caseId, version: q.data?.caseVersion, visitId }, { onSuccess: (next) => setCaseId(next.id) });
  if (!q.data) return null;
  const v = q.data;
  const err = [record.error, reopen.error].find(Boolean);
  const message = err instanceof ApiError ? (err.body?.message ?? err.message) : err?.message;
  return (
    <section className="people-visits" aria-label={t('people.visits.title')} data-testid="case-visits">
      <h4>{t('people.visits.title')}</h4>
      {!v.canVisit ? <p className="cases-hint">{t('people.visits.notResolved')}</p> : null}
      {v.firstVisitDue ? (
        <p className={v.firstVisitOverdue ? 'case-overdue' : 'cases-hint'}>
          {t('people.visits.due', { date: v.firstVisitDue })}
          {v.firstVisitOverdue ? ` · ${t('people.visits.overdue')}` : ''}
        </p>
      ) : null}
      {v.visits.length === 0 && v.canVisit ? <p className="cases-hint">{t('people.visits.none')}</p> : null}
      <ul className="people-list" data-testid="visit-list">
        {v.visits.map((x) => (
          <li key={x.id} data-satisfaction={x.satisfaction}>
            {t('people.visits.row', {
              date: x.visitedOn,
              performance: t(`people.visits.performance.${x.performance}`),
              satisfaction: t(`people.visits.satisfaction.${x.satisfaction}`),
            })}
            {x.note ? ` — ${x.note}` : ''}
            {x.offersReopen ? (
              <div className="people-offer" role="note">
                <span>{t('people.visits.reopenOffer')}</span>{' '}
                <button
                  type="button"
                  className="button"
                  data-testid="visit-reopen"
                  disabled={reopen.isPending}
                  onClick={() => reopenAs(x.id)}
                >
                  {t('people.visits.reopen')}
                </button>
              </div>
            ) : null}
            {x.reopenedAsId ? (
              <button type="button" className="link-button" onClick={() => setCaseId(x.reopenedAsId)}>
                {t('people.visits.reopenedAs', { caseNo: x.reopenedAsCaseNo ?? '' })}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {v.canVisit ? (
        <form
          className="people-form"
          data-testid="visit-form"
          onSubmit={(e) => {
            e.preventDefault();
            recordVisit();
          }}
        >
          <label>
            {t('people.visits.field.visitedOn')}
            <DateField value={visitedOn} max={today} onChange={(v) => setVisitedOn(v)} required />
          </label>
          <label>
            {t('people.visits.field.performance')}
            <select
              value={performance}
              data-testid="visit-performance"
              onChange={(e) => setPerformance(e.target.value as Performance)}
            >
              {PERFORMANCES.map((p) => (
                <option key={p} value={p}>
                  {t(`people.visits.performance.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('people.visits.field.satisfaction')}
            <select
              value={satisfaction}
              data-testid="visit-satisfaction"
              onChange={(e) => setSatisfaction(e.target.value as Satisfaction)}
            >
              {SATISFACTIONS.map((s) => (
                <option key={s} value={s}>
                  {t(`people.visits.satisfaction.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('people.visits.field.note')}
            <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="submit" className="button" disabled={record.isPending} data-testid="visit-save">
            {t('people.visits.save')}
          </button>
        </form>
      ) : null}
      {message ? (
        <p className="cases-error" role="alert">
          {message}
        </p>
      ) : null}
    </section>
  );
}
