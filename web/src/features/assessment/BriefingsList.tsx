import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storedBriefingsQuery, storedBriefingUrl } from '../../api/assessment';
import { QueryError, QueryLoading } from '../common/QueryStatus';

/** The scheduled briefings the server has made (weekly on Mondays, monthly on the 1st), for download. */
export function BriefingsList() {
  const { t } = useTranslation();
  const q = useQuery(storedBriefingsQuery());
  return (
    <section className="asm-stored" data-testid="briefings-list">
      <h3>{t('briefing.stored')}</h3>
      {q.isError ? <QueryError error={q.error} onRetry={() => q.refetch()} /> : null}
      {q.isPending ? <QueryLoading lines={2} /> : null}
      {q.data && q.data.briefings.length === 0 ? <p className="asm-note">{t('briefing.noneStored')}</p> : null}
      {q.data && q.data.briefings.length > 0 ? (
        <table className="asm-table">
          <thead>
            <tr>
              <th>{t('briefing.period')}</th>
              <th>{t('briefing.scope')}</th>
              <th>{t('briefing.figures')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {q.data.briefings.map((b) => (
              <tr key={b.id} data-testid="briefings-row">
                <td>
                  {b.period}
                  <div className="asm-muted">
                    {b.from} – {b.to}
                  </div>
                </td>
                <td>{b.scopeName}</td>
                <td>{t('briefing.foundResolved', { found: b.found, resolved: b.resolved })}</td>
                <td>
                  <a href={storedBriefingUrl(b.id, 'pdf')} download>
                    PDF
                  </a>{' '}
                  <a href={storedBriefingUrl(b.id, 'xlsx')} download>
                    XLSX
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
