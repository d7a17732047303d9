import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { caseHistoryQuery } from '../../api/analytics';
import { type CaseDetail as CaseDetailData, caseDetailQuery } from '../../api/cases';
import { QueryBoundary } from '../common/QueryBoundary';
import { caseTimeline } from './timeline';

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** One case: its detail, and its history (case events; the case's own timestamps when it has no events). */
export function CaseDetail({ id, onBack }: { id: number; onBack: () => void }) {
  const detail = useQuery(caseDetailQuery(id));
  return (
    <QueryBoundary query={detail} lines={6}>
      {(d) => <CaseDetailBody d={d} onBack={onBack} />}
    </QueryBoundary>
  );
}

function CaseDetailBody({ d, onBack }: { d: CaseDetailData; onBack: () => void }) {
  const { t } = useTranslation();
  const history = useQuery(caseHistoryQuery(d.id));
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
      <QueryBoundary query={history} lines={3}>
        {() => (
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
      </QueryBoundary>
      {h && h.events.length === 0 ? <p className="hot-note">{t('hotspots.noEvents')}</p> : null}
    </section>
  );
}
