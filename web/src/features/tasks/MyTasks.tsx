import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { tasksQuery } from '../../api/tasks';
import { TaskCard } from './TaskCard';
import './tasks.css';

/** The screener's open tasks on the phone form (re-screen a village, visit…): accept and report back here. */
export function MyTasks({ onPick }: { onPick: (village: string) => void }) {
  const { t } = useTranslation();
  const tasks = useQuery(tasksQuery({ open: true }));
  const items = tasks.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <div className="report-tasks" data-testid="report-tasks">
      <strong>{t('tasks.mine')}</strong>
      {items.map((task) => (
        <div key={task.id}>
          <TaskCard task={task} compact />
          {task.villageCode ? (
            <button type="button" className="button button--ghost" onClick={() => onPick(task.villageCode as string)}>
              {task.villageName}
            </button>
          ) : null}
        </div>
      ))}
    </div>
  );
}
