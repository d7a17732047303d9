import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { moveTaskMutation, type TaskItem, type TaskStatus } from '../../api/tasks';
import { useDashboardMap, usePickMode } from '../../map/map-context';

const formatPoint = ([lon, lat]: [number, number]) => `${lon.toFixed(5)}, ${lat.toFixed(5)}`;

/**
 * The report back's optional location: the device's position, or a click on the dashboard's map (its owner's
 * pick mode, while "pick on the map" is on). The server checks it lies in the county.
 */
function ReportLocation({
  point,
  onChange,
}: {
  point: [number, number] | null;
  onChange: (p: [number, number] | null) => void;
}) {
  const { t } = useTranslation();
  const map = useDashboardMap();
  const [picking, setPicking] = useState(false);
  const [gps, setGps] = useState<'idle' | 'locating' | 'failed'>('idle');
  const onPick = useCallback(
    (p: [number, number]) => {
      onChange(p);
      setPicking(false);
    },
    [onChange],
  );
  usePickMode(map, picking ? onPick : null);
  const locate = () => {
    if (!navigator.geolocation) return setGps('failed');
    setGps('locating');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setGps('idle');
        onChange([p.coords.longitude, p.coords.latitude]);
      },
      () => setGps('failed'),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };
  return (
    <div className="task-card__location" data-testid="task-location">
      <span>{t('taskEntry.location')}：</span>
      {point ? (
        <>
          <span data-testid="task-location-value">{formatPoint(point)}</span>
          <button type="button" className="button button--ghost" onClick={() => onChange(null)}>
            {t('taskEntry.clearLocation')}
          </button>
        </>
      ) : (
        <span className="muted">{t('taskEntry.noLocation')}</span>
      )}
      <button type="button" className="button button--ghost" disabled={gps === 'locating'} onClick={locate}>
        {gps === 'locating' ? t('taskEntry.locating') : t('taskEntry.useDevice')}
      </button>
      {map ? (
        <button
          type="button"
          className="button button--ghost"
          aria-pressed={picking}
          data-testid="task-location-pick"
          onClick={() => setPicking(!picking)}
        >
          {picking ? t('taskEntry.picking') : t('taskEntry.pickOnMap')}
        </button>
      ) : null}
      {gps === 'failed' ? <span className="task-card__late">{t('taskEntry.gpsFailed')}</span> : null}
    </div>
  );
}

/** One task with the moves the caller may make now (from the server's state machine): accept, report, close… */
export function TaskCard({ task, compact = false }: { task: TaskItem; compact?: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const [point, setPoint] = useState<[number, number] | null>(null);
  // A refused move (409: someone moved it first, or it is no longer legal) reloads the tasks and keeps the message.
  const move = useMutation(moveTaskMutation(qc));
  const moveTo = (to: TaskStatus) =>
    move.mutate(
      {
        id: task.id,
        to,
        version: task.version,
        ...(note.trim() ? { note } : {}),
        ...(to === 'reported' && point ? { lon: point[0], lat: point[1] } : {}),
      },
      {
        onSuccess: () => {
          setNote('');
          setPoint(null);
        },
      },
    );
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
      {task.reportPoint ? (
        <p className="task-card__meta" data-testid="task-report-point">
          {t('taskEntry.reportedFrom', { point: formatPoint(task.reportPoint) })}
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
          {task.allowedMoves.includes('reported') ? <ReportLocation point={point} onChange={setPoint} /> : null}
          {task.allowedMoves.map((m) => (
            <button
              key={m}
              type="button"
              className={m === 'sent_back' ? 'button button--ghost' : 'button'}
              data-testid={`task-move-${m}`}
              disabled={move.isPending || ((m === 'reported' || m === 'sent_back') && !note.trim())}
              onClick={() => moveTo(m)}
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
