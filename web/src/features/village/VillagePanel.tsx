import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { adminUnitsQuery } from '../../api/admin-units';
import { villageCasesQuery } from '../../api/disputes';
import { formatCount } from '../../lib/format';
import { useMe } from '../auth/useMe';
import { QueryBoundary } from '../common/QueryBoundary';
import { useDisputeFilters } from '../filters/useFilters';
import { useUrlParam } from '../selection/useUrlParam';
import { AssignTaskButton } from '../tasks/TaskForm';
import { CaseDetail } from './CaseDetail';

/** A village's cases under the shared filters; a case opens its detail and history. */
export function VillagePanel({ village, town, onBack }: { village: string; town: string | null; onBack: () => void }) {
  const { t, i18n } = useTranslation();
  const filters = useDisputeFilters(town);
  const [caseParam, setCase] = useUrlParam('case');
  const cases = useQuery(villageCasesQuery(village, filters));
  const villages = useQuery(adminUnitsQuery('village'));
  const name = villages.data?.features.find((f) => f.properties.code === village)?.properties.name ?? village;
  const me = useMe();
  const caseId = caseParam && /^\d+$/.test(caseParam) ? Number(caseParam) : null;

  if (caseId) return <CaseDetail id={caseId} onBack={() => setCase(null)} />;

  return (
    <section className="hot-section" aria-label={name} data-testid="village-panel">
      <div className="hot-section__head">
        <button type="button" className="button button--quiet" onClick={onBack}>
          ← {t('hotspots.back')}
        </button>
        <h2 className="section-title">{name}</h2>
      </div>
      <AssignTaskButton
        role={me?.role}
        subject={{ kind: 'village', town: village.slice(0, 9), label: name, villageCode: village }}
      />
      <QueryBoundary
        query={cases}
        lines={5}
        isEmpty={(d) => d.items.length === 0}
        empty={<p className="hot-empty">{t('hotspots.noCases')}</p>}
      >
        {(data) => (
          <>
            <p className="hot-note">
              {t('hotspots.caseCount', {
                count: data.total,
                shown: formatCount(data.items.length, i18n.language),
              })}
            </p>
            <ul className="hot-cases" data-testid="village-cases">
              {data.items.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    className="hot-case"
                    data-testid={`case-${c.caseNo}`}
                    onClick={() => setCase(String(c.id))}
                  >
                    <span className={`hot-risk hot-risk--${c.riskLevel}`} aria-hidden="true" />
                    <span className="hot-case__no">{c.caseNo}</span>
                    <span>{t(`category.${c.category}`)}</span>
                    <span className="hot-case__status">{t(`status.${c.status}`)}</span>
                    <span className="hot-case__date">{c.reportedAt.slice(0, 10)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </QueryBoundary>
    </section>
  );
}
