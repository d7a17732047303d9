import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { caseHistoryQuery } from '../../api/analytics';
import { caseDetailQuery } from '../../api/cases';
import { QueryError, QueryLoading } from '../common/QueryStatus';
import { caseTimeline } from './timeline';

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** One case: its detail, and its history (case events; the case's own timestamps when it has no events). */
export function CaseDetail({ id, onBack }: { id: number; onBack: () => void }) {
  const { t } = useTranslation();
  const detail = useQuery(caseDetailQuery(id));
  const history = useQuery(caseHistoryQuery(id));
  if (detail.isPending) return <QueryLoading lines={6} />;
  if (detail.isError) return <QueryError error={detail.error} onRetry={() => void detail.refetch()} />;
  const d = detail.data;
  const h = history.data;
  const timeline = h ? caseTimeline(h, t) : [];
  return (
    <section className="hot-section" data-testid="case-detail" aria-label={d.caseNo}>
      <div className="hot-section__head">
        <button type="button" className="button button--quiet" onClick={onBack}>
          ← {t('hotspots.back')}
        </button>
        <h2 className="section-title">{d.caseNo}</h2>
      </div>
      <dl className="hot-detail">
        <dt>{t('hotspots.popup.category')}</dt>
        <dd>{t(`category.${d.category}`)}</dd>
        <dt>{t('hotspots.popup.risk')}</dt>
        <dd>{t(`riskLevel.${d.riskLevel}`)}</dd>
        <dt>{t('filters.status')}</dt>
        <dd>{t(`status.${d.status}`)}</dd>
        <dt>{t('hotspots.popup.unit')}</dt>
        <dd>
          {d.townName}
          {d.villageName ? ` · ${d.villageName}` : ''}
        </dd>
        {d.stationName ? (
          <>
            <dt>{t('hotspots.station')}</dt>
            <dd>{d.stationName}</dd>
          </>
        ) : null}
      </dl>
      {d.summary ? (
        <p className="hot-summary-text" data-testid="case-summary">
          {d.summary}
        </p>
      ) : null}
      <h3 className="hot-subtitle">{t('hotspots.history')}</h3>
      {history.isPending ? (
        <QueryLoading lines={3} />
      ) : history.isError ? (
        <QueryError error={history.error} onRetry={() => void history.refetch()} />
      ) : (
        <ol className="hot-timeline" data-testid="case-timeline">
          {timeline.map((e) => (
            <li key={`${e.at}-${e.label}`}>
              <time dateTime={e.at}>{when(e.at)}</time>
              <span>{e.label}</span>
              {e.note ? <small>{e.note}</small> : null}
            </li>
          ))}
        </ol>
      )}
      {h && h.events.length === 0 ? <p className="hot-note">{t('hotspots.noEvents')}</p> : null}
    </section>
  );
}
