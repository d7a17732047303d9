import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Kpis, summaryQuery } from '../../api/summary';
import { formatCount, formatPercent } from '../../lib/format';
import { QueryBoundary } from '../common/QueryBoundary';
import { useDisputeFilters } from '../filters/useFilters';

interface KpiPanelProps {
  town: string | null;
}

interface CardProps {
  label: string;
  value: string;
  testId: string;
  unit?: string;
  hint?: string;
  tone?: 'primary' | 'success' | 'rate' | 'alert';
}

function KpiCard({ label, value, testId, unit, hint, tone = 'primary' }: CardProps) {
  return (
    <div className={`kpi kpi--${tone}`}>
      <div className="kpi__label">{label}</div>
      <div className="kpi__figure">
        <span className="kpi__value" data-testid={testId}>
          {value}
        </span>
        {unit ? <span className="kpi__unit">{unit}</span> : null}
      </div>
      {hint ? <div className="kpi__hint">{hint}</div> : null}
    </div>
  );
}

/** The article's figures: found, resolved, success rate (resolved ÷ found), unresolved; then the secondary rates. */
export function KpiPanel({ town }: KpiPanelProps) {
  const filters = useDisputeFilters(town);
  const summary = useQuery(summaryQuery(town ?? undefined, filters));
  const updating = summary.isPlaceholderData || summary.isFetching;
  return (
    <QueryBoundary query={summary} lines={4}>
      {(data) => <KpiFigures k={data.total} updating={updating} />}
    </QueryBoundary>
  );
}

function KpiFigures({ k, updating }: { k: Kpis; updating: boolean }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const closed = k.resolved + k.failed + k.referred;
  return (
    <section className="kpis" aria-label={t('kpi.title')} aria-busy={updating} data-updating={updating}>
      <div className="kpis__grid">
        <KpiCard label={t('kpi.found')} value={formatCount(k.found, locale)} unit={t('kpi.unit')} testId="kpi-found" />
        <KpiCard
          label={t('kpi.resolved')}
          value={formatCount(k.resolved, locale)}
          unit={t('kpi.unit')}
          testId="kpi-resolved"
          tone="success"
        />
        <KpiCard
          label={t('kpi.rate')}
          value={formatPercent(k.successRate, locale)}
          hint={t('kpi.rateHint')}
          testId="kpi-rate"
          tone="rate"
        />
        <KpiCard
          label={t('kpi.open')}
          value={formatCount(k.open, locale)}
          unit={t('kpi.unit')}
          testId="kpi-open"
          tone="alert"
        />
      </div>
      <dl className="kpis__secondary">
        <div>
          <dt>{t('kpi.closedRate')}</dt>
          <dd>
            <span data-testid="kpi-closed-rate">{formatPercent(k.closedSuccessRate, locale)}</span>
            <small>
              {t('kpi.closedRateHint', {
                resolved: formatCount(k.resolved, locale),
                closed: formatCount(closed, locale),
              })}
            </small>
          </dd>
        </div>
        <div>
          <dt>{t('kpi.villageLevel')}</dt>
          <dd>
            <span>{formatPercent(k.villageLevelRate, locale)}</span>
            <small>{t('kpi.villageLevelHint')}</small>
          </dd>
        </div>
        <div>
          <dt>{t('kpi.townLevel')}</dt>
          <dd>
            <span>{formatPercent(k.townLevelRate, locale)}</span>
            <small>{t('kpi.townLevelHint')}</small>
          </dd>
        </div>
      </dl>
    </section>
  );
}
