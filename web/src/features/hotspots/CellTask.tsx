import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { adminUnitsQuery } from '../../api/admin-units';
import { parseCellParam, townAt } from '../../lib/cells';
import { formatCount } from '../../lib/format';
import { useMe } from '../auth/useMe';
import { useUrlParam } from '../selection/useUrlParam';
import { TaskForm } from '../tasks/TaskForm';

/**
 * The hot-spot cell drill-down: the cell picked in a popup ("交办任务") as the subject of a task. Its town is the
 * selected one, or the town whose outline holds the cell's centre (the county view), whose stations can take it.
 */
export function CellTask({ town }: { town: string | null }) {
  const { t, i18n } = useTranslation();
  const [param, setCell] = useUrlParam('cell');
  const cell = parseCellParam(param);
  const me = useMe();
  const towns = useQuery({ ...adminUnitsQuery('town'), enabled: cell !== null && town === null });
  const section = useRef<HTMLElement>(null);
  // A cell picked on the map brings its drill-down into view, once per cell.
  useEffect(() => {
    if (param) section.current?.scrollIntoView({ block: 'nearest' });
  }, [param]);
  if (!cell) return null;
  const canAssign = me?.role === 'admin' || me?.role === 'leader' || me?.role === 'town_officer';
  const cellTown = town ?? (towns.data ? townAt(towns.data.features, cell.lon, cell.lat) : null);
  const close = () => setCell(null);
  return (
    <section className="hot-section" aria-label={t('taskEntry.cellTitle')} data-testid="cell-task" ref={section}>
      <h2 className="section-title">{t('taskEntry.cellTitle')}</h2>
      <p className="muted">
        {t('taskEntry.cellWhere', {
          size: formatCount(cell.size, i18n.language),
          lon: cell.lon.toFixed(5),
          lat: cell.lat.toFixed(5),
        })}
      </p>
      {!canAssign ? null : cellTown ? (
        <TaskForm
          key={param}
          subject={{
            kind: 'cell',
            town: cellTown,
            label: t('taskEntry.cellLabel', { size: formatCount(cell.size, i18n.language) }),
            cellId: cell.id,
            cellSize: String(cell.size),
            lon: cell.lon,
            lat: cell.lat,
          }}
          onDone={close}
        />
      ) : towns.isPending && town === null ? null : (
        <p className="muted">{t('taskEntry.cellOutside')}</p>
      )}
      <button type="button" className="button button--ghost" onClick={close}>
        {t('taskEntry.close')}
      </button>
    </section>
  );
}
