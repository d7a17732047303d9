import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { configQuery } from '../../api/config';
import {
  caseDossierQuery,
  type CaseDossier as Dossier,
  type DossierState,
  documentUrl,
  markDossierItemMutation,
  saveConfirmationMutation,
} from '../../api/people';
import { DateField } from '../common/DateField';

const STATES: DossierState[] = ['present', 'missing', 'not_applicable'];
const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);

/** The case dossier checklist in the ministry's order, the judicial confirmation window, and the documents. */
export function CaseDossier({ caseId, canEdit, resolved }: { caseId: number; canEdit: boolean; resolved: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const q = useQuery(caseDossierQuery(caseId));
  const mark = useMutation(markDossierItemMutation(qc));
  if (!q.data) return null;
  const d = q.data;
  const w = d.confirmationWindow;
  return (
    <section className="people-dossier" aria-label={t('people.dossier.title')} data-testid="case-dossier">
      <h4>{t('people.dossier.title')}</h4>
      <p className="cases-hint" data-testid="dossier-completeness">
        {t('people.dossier.completeness', {
          rate: pct(d.completeness.rate),
          present: d.completeness.present,
          missing: d.completeness.missing,
        })}
      </p>
      <ol className="people-checklist">
        {d.items.map((i) => (
          <li key={i.item} className={`dossier-${i.state}`}>
            <span>{i.name}</span>
            {canEdit ? (
              <select
                value={i.state}
                aria-label={i.name}
                disabled={mark.isPending}
                onChange={(e) => mark.mutate({ caseId, item: i.item, state: e.target.value as DossierState })}
              >
                {STATES.map((s) => (
                  <option key={s} value={s}>
                    {t(`people.dossier.state.${s}`)}
                  </option>
                ))}
              </select>
            ) : (
              <strong>{t(`people.dossier.state.${i.state}`)}</strong>
            )}
            {i.source === 'derived' ? <small> {t('people.dossier.derived')}</small> : null}
          </li>
        ))}
      </ol>
      <h4>{t('people.dossier.confirmation')}</h4>
      <p className={w.flagged ? 'case-overdue' : 'cases-hint'} data-testid="confirmation-window">
        {t(`people.dossier.window.${w.state}`, { deadline: w.deadline ?? '', days: w.daysLeft ?? '' })}
      </p>
      {d.confirmation ? (
        <p className="cases-hint">
          {t('people.dossier.confirmationRecord', {
            appliedOn: d.confirmation.appliedOn,
            court: d.confirmation.court,
            result: t(`people.dossier.result.${d.confirmation.result as 'pending' | 'confirmed' | 'rejected'}`),
          })}
        </p>
      ) : null}
      {canEdit && resolved && !confirming ? (
        <button
          type="button"
          className="button button--ghost"
          data-testid="confirmation-edit"
          onClick={() => setConfirming(true)}
        >
          {t(d.confirmation ? 'peopleWork.confirmationForm.edit' : 'peopleWork.confirmationForm.record')}
        </button>
      ) : null}
      {confirming ? (
        <ConfirmationForm caseId={caseId} current={d.confirmation} onDone={() => setConfirming(false)} />
      ) : null}
      <h4>{t('people.dossier.documents')}</h4>
      <ul className="people-downloads">
        <li>
          <a href={documentUrl(caseId, 'agreement', 'docx')} download data-testid="download-agreement-docx">
            {t('people.dossier.agreementDocx')}
          </a>
        </li>
        <li>
          <a href={documentUrl(caseId, 'agreement', 'pdf')} download>
            {t('people.dossier.agreementPdf')}
          </a>
        </li>
        <li>
          <a href={documentUrl(caseId, 'record', 'docx')} download>
            {t('people.dossier.recordDocx')}
          </a>
        </li>
        <li>
          <a href={documentUrl(caseId, 'record', 'pdf')} download>
            {t('people.dossier.recordPdf')}
          </a>
        </li>
      </ul>
      <p className="cases-hint">{t('people.dossier.masked')}</p>
    </section>
  );
}

const RESULTS = ['pending', 'confirmed', 'rejected'] as const;

/** 司法确认: applied on, court, result, decided on (pending has no decision date); a change sends the version read. */
function ConfirmationForm({
  caseId,
  current,
  onDone,
}: {
  caseId: number;
  current: Dossier['confirmation'];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const today = useQuery(configQuery()).data?.dataPeriod.to.slice(0, 10) ?? '';
  const [appliedOn, setAppliedOn] = useState(current?.appliedOn ?? today);
  const [court, setCourt] = useState(current?.court ?? '');
  const [result, setResult] = useState<(typeof RESULTS)[number]>(
    (current?.result as (typeof RESULTS)[number] | undefined) ?? 'pending',
  );
  const [decidedOn, setDecidedOn] = useState(current?.decidedOn ?? '');
  const save = useMutation(saveConfirmationMutation(qc));
  const submit = () =>
    save.mutate(
      {
        caseId,
        confirmation: {
          appliedOn,
          court,
          result,
          ...(result !== 'pending' && decidedOn ? { decidedOn } : {}),
          ...(current ? { version: current.version } : {}),
        },
      },
      { onSuccess: onDone },
    );
  const message =
    save.error instanceof ApiError ? (save.error.body?.message ?? save.error.message) : save.error?.message;
  return (
    <form
      className="people-form"
      data-testid="confirmation-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <p className="cases-hint wide">{t('peopleWork.confirmationForm.hint')}</p>
      <label>
        {t('peopleWork.confirmationForm.appliedOn')}
        <DateField
          value={appliedOn}
          max={today || undefined}
          required
          data-testid="confirmation-applied"
          onChange={(v) => setAppliedOn(v)}
        />
      </label>
      <label>
        {t('peopleWork.confirmationForm.court')}
        <input
          value={court}
          required
          maxLength={100}
          data-testid="confirmation-court"
          onChange={(e) => setCourt(e.target.value)}
        />
      </label>
      <label>
        {t('peopleWork.confirmationForm.result')}
        <select
          value={result}
          data-testid="confirmation-result"
          onChange={(e) => setResult(e.target.value as (typeof RESULTS)[number])}
        >
          {RESULTS.map((r) => (
            <option key={r} value={r}>
              {t(`people.dossier.result.${r}`)}
            </option>
          ))}
        </select>
      </label>
      {result !== 'pending' ? (
        <label>
          {t('peopleWork.confirmationForm.decidedOn')}
          <DateField
            value={decidedOn}
            min={appliedOn}
            max={today || undefined}
            required
            data-testid="confirmation-decided"
            onChange={(v) => setDecidedOn(v)}
          />
        </label>
      ) : null}
      <button type="submit" className="button" disabled={save.isPending} data-testid="confirmation-save">
        {t('peopleWork.confirmationForm.save')}
      </button>
      <button type="button" className="button button--ghost" onClick={onDone}>
        {t('peopleWork.confirmationForm.cancel')}
      </button>
      {message ? (
        <p className="cases-error wide" role="alert">
          {message}
        </p>
      ) : null}
    </form>
  );
}
