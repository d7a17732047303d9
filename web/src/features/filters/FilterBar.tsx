import { useTranslation } from 'react-i18next';
import { CATEGORIES, STATUS_CHOICES } from '../../lib/hotspots';
import { useFilters } from './useFilters';
import '../hotspots/hotspots.css';
import { DateField } from '../common/DateField';

/** Time range, category and status: shared by the map, the KPIs and the charts of every view. */
export function FilterBar() {
  const { t } = useTranslation();
  const { state, setFrom, setTo, setCategory, setStatus } = useFilters();
  const inverted = Boolean(state.from && state.to && state.from > state.to);
  const active = Boolean(state.from || state.to || state.category || state.status);
  return (
    <section className="filter-bar" aria-label={t('filters.title')} data-testid="filter-bar">
      <label>
        <span>{t('filters.from')}</span>
        <DateField
          data-testid="filter-from"
          value={state.from ?? ''}
          min="2018-01-01"
          onChange={(v) => setFrom(v || null, true)}
        />
      </label>
      <label>
        <span>{t('filters.to')}</span>
        <DateField
          data-testid="filter-to"
          value={state.to ?? ''}
          min="2018-01-01"
          onChange={(v) => setTo(v || null, true)}
        />
      </label>
      <label>
        <span>{t('filters.category')}</span>
        <select
          data-testid="filter-category"
          value={state.category ?? ''}
          onChange={(e) => setCategory(e.target.value || null)}
        >
          <option value="">{t('filters.all')}</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`category.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('filters.status')}</span>
        <select
          data-testid="filter-status"
          value={state.status ?? ''}
          onChange={(e) => setStatus(e.target.value || null)}
        >
          <option value="">{t('filters.all')}</option>
          {STATUS_CHOICES.map((s) => (
            <option key={s} value={s}>
              {s === 'open' || s === 'closed' ? t(`filters.${s}`) : t(`status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {active ? (
        <button
          type="button"
          className="button button--quiet"
          data-testid="filter-clear"
          onClick={() => {
            setFrom(null, true);
            setTo(null, true);
            setCategory(null, true);
            setStatus(null);
          }}
        >
          {t('filters.clear')}
        </button>
      ) : null}
      {state.status ? <p className="filter-bar__note">{t('filters.statusNote')}</p> : null}
      {inverted ? (
        <p className="filter-bar__warning" role="alert">
          {t('filters.inverted')}
        </p>
      ) : null}
    </section>
  );
}
