import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { notificationKeys } from '../../api/notifications';
import { moveTask, type TaskItem, type TaskStatus, taskKeys } from '../../api/tasks';

/** One task with the moves the caller may make now (from the server's state machine): accept, report, close… */
export function TaskCard({ task, compact = false }: { task: TaskItem; compact?: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const move = useMutation({
    mutationFn: (to: TaskStatus) => moveTask(task.id, { to, version: task.version, ...(note.trim() ? { note } : {}) }),
    onSuccess: () => {
      setNote('');
      void qc.invalidateQueries({ queryKey: taskKeys.all });
      void qc.invalidateQueries({ queryKey: notificationKeys.all });
    },
    // 409: someone moved it first, or the move is no longer legal: reload, keep the message.
    onError: () => qc.invalidateQueries({ queryKey: taskKeys.all }),
  });
  const needsNote = task.allowedMoves.some((m) => m === 'reported' || m === 'sent_back');
  const subject = task.caseNo ?? task.villageName ?? task.townName;
  return (
    <article
      className={`task-card task-card--${task.status}${task.overdue ? ' task-card--overdue' : ''}`}
      data-testid={`task-${task.id}`}
      data-status={task.status}
    >
      <header className="task-card__head">
        <strong>{t(`tasks.actions.${task.action}`)}</strong>
        <span className="task-card__subject">
          {t(`tasks.subjects.${task.subjectKind}`)} · {subject}
        </span>
        <span className={`task-status task-status--${task.status}`}>{t(`tasks.statuses.${task.status}`)}</span>
      </header>
      <p className="task-card__meta">
        {task.assigneeStationName ?? task.assigneeName} · {t('tasks.dueLabel', { date: task.dueOn })}
        {task.overdue ? (
          <span className="task-card__late"> · {t('tasks.overdueDays', { count: task.daysOverdue })}</span>
        ) : null}
        {task.escalated ? <span className="task-card__late"> · {t('tasks.escalated')}</span> : null}
        {task.demo ? <span className="task-card__demo"> · {t('tasks.synthetic')}</span> : null}
      </p>
      {!compact && task.instructions ? <p className="task-card__text">{task.instructions}</p> : null}
      {task.reportNote ? (
        <p className="task-card__text">
          {t('tasks.reportNote')}：{task.reportNote}
        </p>
      ) : null}
      {!compact ? <p className="task-card__meta">{t('tasks.assignedBy', { name: task.assignedByName })}</p> : null}
      {task.allowedMoves.length > 0 ? (
        <div className="task-card__moves">
          {needsNote ? (
            <textarea
              className="task-card__note"
              rows={2}
              maxLength={2000}
              aria-label={t('tasks.reportNote')}
              placeholder={t('tasks.reportNote')}
              data-testid="task-note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          ) : null}
          {task.allowedMoves.map((m) => (
            <button
              key={m}
              type="button"
              className={m === 'sent_back' ? 'button button--ghost' : 'button'}
              data-testid={`task-move-${m}`}
              disabled={move.isPending || ((m === 'reported' || m === 'sent_back') && !note.trim())}
              onClick={() => move.mutate(m)}
            >
              {t(`tasks.moves.${m as Exclude<TaskStatus, 'assigned'>}`)}
            </button>
          ))}
        </div>
      ) : null}
      {move.error ? (
        <p className="task-card__error" role="alert">
          {move.error instanceof ApiError ? (move.error.body?.message ?? move.error.message) : String(move.error)}
        </p>
      ) : null}
    </article>
  );
}
