import { useTranslation } from 'react-i18next';
import { recentMonths, recentQuarters } from './periods';

/** A period picker: the last 12 months and 4 quarters, named the way the county writes them. */
export function PeriodSelect({
  asOf,
  value,
  onChange,
  testId,
}: {
  asOf: string;
  value: string;
  onChange: (p: string) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const months = recentMonths(asOf);
  const quarters = recentQuarters(asOf);
  const known = [...months, ...quarters].includes(value);
  return (
    <label className="asm-field">
      <span>{t('assessment.period')}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {known ? null : <option value={value}>{value}</option>}
        <optgroup label={t('assessment.months')}>
          {months.map((m) => (
            <option key={m} value={m}>
              {t('assessment.monthName', { year: m.slice(0, 4), month: Number(m.slice(5)) })}
            </option>
          ))}
        </optgroup>
        <optgroup label={t('assessment.quarters')}>
          {quarters.map((q) => (
            <option key={q} value={q}>
              {t('assessment.quarterName', { year: q.slice(0, 4), quarter: q.slice(6) })}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}
