import { useTranslation } from 'react-i18next';
import type { Regularity } from '../../api/people';
import './people.css';

const pct = (r: number) => `${(r * 100).toFixed(0)}%`;

/**
 * How regularly each town held its joint meetings over the last year against the county's expectation (monthly or
 * quarterly): on the meetings view and on the assessment. Below three in four expected periods reads as low.
 */
export function MeetingRegularity({ r, title }: { r: Regularity; title?: string }) {
  const { t } = useTranslation();
  return (
    <section className="people-card people-regularity" data-testid="meeting-regularity">
      <h3>{title ?? t('people.meetings.regularity', { every: t(`people.meetings.every.${r.every}`) })}</h3>
      <table className="people-table">
        <tbody>
          {r.towns.map((x) => (
            <tr key={x.townCode} data-rate={x.rate}>
              <td>{x.townName}</td>
              <td className={`num ${x.rate < 0.75 ? 'low' : ''}`}>
                {t('people.meetings.regularityRow', { met: x.met, expected: x.expected })} · {pct(x.rate)}
              </td>
              <td>
                {t('people.meetings.lastHeld')} {x.lastHeldOn ?? '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
