import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { roundsQuery, roundToDoQuery } from '../../api/uploads';

/**
 * The screener's duty list: villages of the town that still owe a report in the latest round covering it
 * (overdue first). Tapping one picks it in the form.
 */
export function ToDoList({ town, onPick }: { town: string; onPick: (village: string) => void }) {
  const { t } = useTranslation();
  const rounds = useQuery(roundsQuery());
  const round = town
    ? ([...(rounds.data ?? [])]
        .filter((r) => r.towns === null || r.towns.includes(town))
        .sort((a, b) => b.startsOn.localeCompare(a.startsOn) || b.id - a.id)[0] ?? null)
    : null;
  const todo = useQuery(roundToDoQuery(round?.id ?? null, town));
  if (!round || !todo.data) return null;
  const sorted = [...todo.data].sort((a, b) => Number(b.state === 'overdue') - Number(a.state === 'overdue'));
  return (
    <div className="report-todo" data-testid="report-todo">
      <strong>{t('report.todoTitle', { round: round.name, count: sorted.length })}</strong>
      {sorted.length === 0 ? (
        <p>{t('report.todoNone')}</p>
      ) : (
        <ul>
          {sorted.map((v) => (
            <li key={v.code}>
              <button type="button" className="report-todo__village" onClick={() => onPick(v.code)}>
                {v.name}
                <span className={`report-todo__state report-todo__state--${v.state}`}>
                  {t(`report.todo_${v.state}`)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
