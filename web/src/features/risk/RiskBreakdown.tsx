import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { openDisputesQuery } from '../../api/disputes';
import { riskLevels } from '../../api/vocabulary';
import { formatCount } from '../../lib/format';
import { OVERDUE_DAYS, summariseRisk } from '../../lib/risk';
import { RISK_COLORS } from '../../map/layers';
import { QueryBoundary } from '../common/QueryBoundary';
import { useDisputeFilters } from '../filters/useFilters';

/** Open cases of the current area by risk level, from the same query the map draws. */
export function RiskBreakdown({ town }: { town: string | null }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const filters = useDisputeFilters(null);
  const disputes = useQuery(openDisputesQuery(undefined, filters));
  const summary = useMemo(() => (disputes.data ? summariseRisk(disputes.data, town) : null), [disputes.data, town]);

  return (
    <section className="panel" aria-labelledby="risk-title">
      <h2 id="risk-title" className="panel__title">
        {t('risk.title')}
      </h2>
      <QueryBoundary
        query={disputes}
        lines={2}
        isEmpty={() => (summary?.total ?? 0) === 0}
        empty={<p className="muted">{t('risk.none')}</p>}
      >
        {() =>
          summary && (
            <>
              <div className="risk-bar" role="img" aria-label={t('risk.title')}>
                {riskLevels.map((level) =>
                  summary.byLevel[level] > 0 ? (
                    <span
                      key={level}
                      style={{ flexGrow: summary.byLevel[level], background: RISK_COLORS[level] }}
                      title={`${t(`risk.${level}`)} ${summary.byLevel[level]}`}
                    />
                  ) : null,
                )}
              </div>
              <ul className="risk-list">
                {riskLevels.map((level) => (
                  <li key={level} data-testid={`risk-${level}`}>
                    <span className="swatch swatch--dot" style={{ background: RISK_COLORS[level] }} />
                    <span className="risk-list__label">{t(`risk.${level}`)}</span>
                    <span className="risk-list__value">{formatCount(summary.byLevel[level], locale)}</span>
                  </li>
                ))}
              </ul>
              <p className="risk-foot">
                <span>
                  {t('risk.overdue', { days: OVERDUE_DAYS })}: <strong>{formatCount(summary.overdue, locale)}</strong>
                </span>
                {summary.oldestDays !== null ? (
                  <span>{t('risk.oldest', { days: formatCount(summary.oldestDays, locale) })}</span>
                ) : null}
              </p>
            </>
          )
        }
      </QueryBoundary>
    </section>
  );
}
