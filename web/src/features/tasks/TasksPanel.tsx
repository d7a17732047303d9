import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { taskFiguresQuery, tasksQuery } from '../../api/tasks';
import { formatPercent } from '../../lib/format';
import { QueryError, QueryLoading } from '../common/QueryStatus';
import { useUrlParam } from '../selection/useUrlParam';
import type { ViewProps } from '../views/types';
import { TaskCard } from './TaskCard';
import './tasks.css';

type Show = 'open' | 'overdue' | 'all';

/** 交办 / 督办 / 销号: the caller's tasks (open first, by due date) and the figures per town or station. */
export function TasksPanel({ town }: ViewProps) {
  const { t } = useTranslation();
  const [show, setShow] = useState<Show>('open');
  const [taskParam] = useUrlParam('task');
  const list = useQuery(
    tasksQuery({
      town: town ?? undefined,
      ...(show === 'open' ? { open: true } : show === 'overdue' ? { overdue: true } : {}),
    }),
  );
  const picked = taskParam && /^\d+$/.test(taskParam) ? Number(taskParam) : null;
  const items = [...(list.data?.items ?? [])].sort((a, b) => Number(b.id === picked) - Number(a.id === picked));
  return (
    <div className="tasks-panel" data-testid="tasks-panel">
      <TaskFigures town={town} />
      <section className="hot-section" aria-label={t('tasks.title')}>
        <h2 className="section-title">{t('tasks.title')}</h2>
        <div className="hot-switcher">
          {(['open', 'overdue', 'all'] as const).map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={show === s}
              className={show === s ? 'hot-chip hot-chip--active' : 'hot-chip'}
              onClick={() => setShow(s)}
            >
              {t(`tasks.${s}`)}
            </button>
          ))}
        </div>
        {list.isPending ? (
          <QueryLoading lines={4} />
        ) : list.isError ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          <p className="hot-empty">{t('tasks.empty')}</p>
        ) : (
          <div className="task-list" data-testid="task-list">
            {items.map((task) => (
              <TaskCard key={task.id} task={task} />
            ))}
          </div>
        )}
      </section>
    </div>
  );
}

/** Tasks issued / closed on time / overdue, per town (county users) or per station (a town). */
export function TaskFigures({ town }: { town: string | null }) {
  const { t, i18n } = useTranslation();
  const [by, setBy] = useState<'town' | 'station'>(town ? 'station' : 'town');
  const figures = useQuery(taskFiguresQuery(town ? 'station' : by, town));
  const units = figures.data?.units ?? [];
  return (
    <section className="hot-section" aria-label={t('tasks.figuresTitle')} data-testid="task-figures">
      <h2 className="section-title">{t('tasks.figuresTitle')}</h2>
      {town ? null : (
        <div className="hot-switcher">
          {(['town', 'station'] as const).map((b) => (
            <button
              key={b}
              type="button"
              aria-pressed={by === b}
              className={by === b ? 'hot-chip hot-chip--active' : 'hot-chip'}
              onClick={() => setBy(b)}
            >
              {t(b === 'town' ? 'tasks.figuresByTown' : 'tasks.figuresByStation')}
            </button>
          ))}
        </div>
      )}
      {figures.isPending ? (
        <QueryLoading lines={3} />
      ) : figures.isError ? (
        <QueryError error={figures.error} onRetry={() => void figures.refetch()} />
      ) : units.length === 0 ? (
        <p className="hot-empty">{t('tasks.empty')}</p>
      ) : (
        <table className="task-figures">
          <thead>
            <tr>
              <th scope="col">{t('tasks.unit')}</th>
              <th scope="col">{t('tasks.issued')}</th>
              <th scope="col">{t('tasks.closed')}</th>
              <th scope="col">{t('tasks.closedOnTime')}</th>
              <th scope="col">{t('tasks.overdueCount')}</th>
            </tr>
          </thead>
          <tbody>
            {units.slice(0, 12).map((u) => (
              <tr key={u.key}>
                <th scope="row">{u.name}</th>
                <td>{u.issued}</td>
                <td>{u.closed}</td>
                <td>
                  {u.closedOnTime}
                  {u.onTimeRate !== null ? ` (${formatPercent(u.onTimeRate, i18n.language)})` : ''}
                </td>
                <td className={u.overdue > 0 ? 'task-figures__late' : undefined}>{u.overdue}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
