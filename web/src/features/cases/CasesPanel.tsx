import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type CaseDetail, caseDetailQuery, caseRegisterQuery } from '../../api/cases';
import { stationsQuery } from '../../api/stations';
import { REGISTER_SORTS, STATUS_GROUPS, type StatusGroup } from '../../lib/cases';
import { QueryBoundary } from '../common/QueryBoundary';
import { useUrlParam } from '../selection/useUrlParam';
import type { ViewProps } from '../views/types';
import { CaseDetailView } from './CaseDetailView';
import { CaseForm } from './CaseForm';
import { FiguresCard } from './FiguresCard';
import { useCaseState } from './useCaseState';
import './cases.css';

/** The stations that take cases: police station, judicial office, joint mediation room. */
const WORK_KINDS: readonly string[] = ['police_station', 'judicial_office', 'joint_mediation_room'];

/**
 * The case register of a town (or the county): filter, sort, search; open a case; create and edit. The server
 * records the signed-in user as the actor of each write.
 */
export function CasesPanel({ town, onSelectTown }: ViewProps) {
  const { t } = useTranslation();
  const { caseId, setCaseId, mode, setMode } = useCaseState();
  const [group = 'open', setGroup] = useUrlParam('caseStatus') as [StatusGroup | null, (v: string | null) => void];
  const [sortParam, setSort] = useUrlParam('caseSort');
  const [overdue, setOverdue] = useUrlParam('caseOverdue');
  const [q, setQ] = useUrlParam('caseQ');
  const [station, setStation] = useUrlParam('caseStation');
  const stations = useQuery({ ...stationsQuery(town ?? undefined), enabled: town !== null });
  const workStations = (stations.data?.features ?? []).filter((f) => WORK_KINDS.includes(f.properties.kind));
  const statusGroup: StatusGroup = group && group in STATUS_GROUPS ? group : 'open';
  // The escalation ranking covers open cases; other groups fall back to the newest first.
  const sort = sortParam ?? (statusGroup === 'open' ? 'escalation' : '-reportedAt');
  const register = useQuery(
    caseRegisterQuery({
      town,
      station: town ? station : null,
      status: STATUS_GROUPS[statusGroup] || null,
      q,
      overdue: overdue === '1',
      sort,
    }),
  );
  // Overdue open cases of the town (or county), surfaced whatever the filters are.
  const overdueCount = useQuery(
    caseRegisterQuery({ town, status: STATUS_GROUPS.open, q: null, overdue: true, sort: '-reportedAt' }),
  );
  const editing = useQuery({ ...caseDetailQuery(caseId ?? 0), enabled: mode === 'edit' && caseId !== null });
  const onSaved = (c: CaseDetail) => {
    setCaseId(c.id);
    if (c.townCode !== town) onSelectTown(c.townCode);
  };

  return (
    <div className="cases-panel" data-testid="cases-panel">
      <div className="cases-top">
        {mode ? null : (
          <button type="button" className="button" onClick={() => setMode('new')} data-testid="case-new">
            + {t('cases.new')}
          </button>
        )}
      </div>
      <FiguresCard town={town} />
      {mode === 'new' ? <CaseForm town={town} editing={null} onSaved={onSaved} /> : null}
      {mode === 'edit' && editing.data ? (
        <CaseForm key={editing.data.version} town={town} editing={editing.data} onSaved={onSaved} />
      ) : null}
      {caseId !== null && mode !== 'edit' ? (
        <CaseDetailView id={caseId} />
      ) : (
        <section className="cases-register" aria-label={t('cases.register')}>
          <h3 className="section-title cases-register-title">
            {t('cases.register')}
            {overdueCount.data && overdueCount.data.total > 0 ? (
              <button
                type="button"
                className="cases-overdue-chip"
                data-testid="case-overdue-count"
                onClick={() => setOverdue(overdue === '1' ? null : '1')}
              >
                {t('cases.overdueCount', { count: overdueCount.data.total })}
              </button>
            ) : null}
          </h3>
          <div className="cases-filters">
            <input
              type="search"
              placeholder={t('cases.search')}
              defaultValue={q ?? ''}
              data-testid="case-search"
              onChange={(e) => setQ(e.target.value.trim() || null, true)}
            />
            {town && workStations.length > 0 ? (
              <select
                value={station ?? ''}
                onChange={(e) => setStation(e.target.value || null)}
                aria-label={t('cases.field.station')}
                data-testid="case-station-filter"
              >
                <option value="">{t('cases.allStations')}</option>
                {workStations.map((f) => (
                  <option key={f.properties.id} value={String(f.properties.id)}>
                    {f.properties.name}
                  </option>
                ))}
              </select>
            ) : null}
            <select value={statusGroup} onChange={(e) => setGroup(e.target.value === 'open' ? null : e.target.value)}>
              {(Object.keys(STATUS_GROUPS) as StatusGroup[]).map((g) => (
                <option key={g} value={g}>
                  {t(`cases.group.${g}`)}
                </option>
              ))}
            </select>
            <select value={sort} onChange={(e) => setSort(e.target.value)} aria-label={t('cases.sort')}>
              {REGISTER_SORTS.filter((s) => s !== 'escalation' || statusGroup === 'open').map((s) => (
                <option key={s} value={s}>
                  {t(`cases.sortBy.${s}`)}
                </option>
              ))}
            </select>
            <label className="cases-check">
              <input
                type="checkbox"
                checked={overdue === '1'}
                onChange={(e) => setOverdue(e.target.checked ? '1' : null)}
              />
              {t('cases.overdueOnly')}
            </label>
          </div>
          <QueryBoundary query={register} lines={6}>
            {(page) => (
              <>
                <p className="cases-count">{t('cases.count', { count: page.total })}</p>
                {page.items.length === 0 ? <p className="cases-hint">{t('cases.empty')}</p> : null}
                <ul className="cases-list" data-testid="case-list">
                  {page.items.map((c) => (
                    <li key={c.id}>
                      <button
                        type="button"
                        className="case-row"
                        onClick={() => setCaseId(c.id)}
                        data-case-no={c.caseNo}
                      >
                        <span
                          className={`esc-badge esc-badge--${c.escalation.band}`}
                          title={t('cases.escalation.title')}
                        >
                          {c.escalation.score}
                        </span>
                        <span className="case-row-main">
                          <strong>{c.caseNo}</strong> {t(`category.${c.category}`)}
                          <small className="case-row-sub">
                            {c.townName} {c.villageName ?? ''} · {c.stationName ?? '—'}
                          </small>
                        </span>
                        <span className="case-row-side">
                          <span className={`case-status case-status--${c.status}`}>{t(`status.${c.status}`)}</span>
                          {c.overdue ? <span className="case-overdue">{t('cases.overdue')}</span> : null}
                          {c.repeatIds.length > 0 ? <span className="case-repeat">{t('cases.repeat')}</span> : null}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </QueryBoundary>
        </section>
      )}
    </div>
  );
}
