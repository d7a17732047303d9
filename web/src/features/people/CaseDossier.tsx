import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  caseDossierQuery,
  type DossierItem,
  type DossierState,
  documentUrl,
  peopleKeys,
  sendPeople,
} from '../../api/people';

const STATES: DossierState[] = ['present', 'missing', 'not_applicable'];
const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);

/** The case dossier checklist in the ministry's order, the judicial confirmation window, and the documents. */
export function CaseDossier({ caseId, canEdit }: { caseId: number; canEdit: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery(caseDossierQuery(caseId));
  const mark = useMutation({
    mutationFn: (b: { item: DossierItem; state: DossierState }) =>
      sendPeople('PUT', `/api/disputes/${caseId}/dossier`, b),
    onSuccess: () => qc.invalidateQueries({ queryKey: peopleKeys.dossier }),
  });
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
                onChange={(e) => mark.mutate({ item: i.item, state: e.target.value as DossierState })}
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
