import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { configQuery } from '../../api/config';
import { assigneesQuery, createTaskMutation, type NewTask, type TaskAction, taskActions } from '../../api/tasks';
import { formatDate } from '../../lib/format';
import { DateField } from '../common/DateField';

export interface TaskSubject {
  kind: NewTask['subjectKind'];
  town: string;
  label: string;
  villageCode?: string;
  disputeId?: number;
  warningId?: number;
  cellId?: string;
  cellSize?: string;
  lon?: number;
  lat?: number;
}

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * 交办: what to do, to whom (a station of the town, or a screener of the village), by when. The due date starts
 * three days after the data's "today" (app_now) and cannot be before it; a retried submit reuses its client key.
 */
export function TaskForm({ subject, onDone }: { subject: TaskSubject; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const config = useQuery(configQuery());
  const assignees = useQuery(assigneesQuery(subject.town));
  const today = formatDate(config.data?.asOf ?? new Date().toISOString());
  const [action, setAction] = useState<TaskAction>(subject.kind === 'case' ? 'mediate' : 'verify');
  const [assignee, setAssignee] = useState('');
  const [dueOn, setDueOn] = useState<string | null>(null);
  const [instructions, setInstructions] = useState('');
  const clientKey = useMemo(() => crypto.randomUUID(), []);
  const screeners = (assignees.data?.screeners ?? []).filter(
    (s) => !subject.villageCode || (s.villages ?? []).includes(subject.villageCode),
  );
  const create = useMutation(createTaskMutation(qc));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!assignee) return;
    const [kind, id] = assignee.split(':');
    const { kind: subjectKind, town: _town, label: _label, ...where } = subject;
    create.mutate(
      {
        action,
        subjectKind,
        ...where,
        ...(kind === 'station' ? { assigneeStationId: Number(id) } : { assigneeAccountId: Number(id) }),
        dueOn: dueOn ?? addDays(today, 3),
        ...(instructions.trim() ? { instructions } : {}),
        clientKey,
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form className="task-form" data-testid="task-form" onSubmit={submit}>
      <h3>{t('tasks.assignTitle', { subject: subject.label })}</h3>
      <label>
        <span>{t('tasks.action')}</span>
        <select data-testid="task-action" value={action} onChange={(e) => setAction(e.target.value as TaskAction)}>
          {taskActions.map((a) => (
            <option key={a} value={a}>
              {t(`tasks.actions.${a}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('tasks.assignee')}</span>
        <select data-testid="task-assignee" required value={assignee} onChange={(e) => setAssignee(e.target.value)}>
          <option value="" disabled>
            —
          </option>
          <optgroup label={t('tasks.stations')}>
            {(assignees.data?.stations ?? []).map((s) => (
              <option key={s.id} value={`station:${s.id}`}>
                {s.name}
              </option>
            ))}
          </optgroup>
          {screeners.length > 0 ? (
            <optgroup label={t('tasks.screeners')}>
              {screeners.map((s) => (
                <option key={s.id} value={`screener:${s.id}`}>
                  {s.displayName}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </label>
      <label>
        <span>{t('tasks.dueOn')}</span>
        <DateField
          data-testid="task-due"
          required
          min={today}
          value={dueOn ?? addDays(today, 3)}
          onChange={(v) => setDueOn(v)}
        />
      </label>
      <label>
        <span>{t('tasks.instructions')}</span>
        <textarea rows={2} maxLength={2000} value={instructions} onChange={(e) => setInstructions(e.target.value)} />
      </label>
      {create.error ? (
        <p className="task-card__error" role="alert">
          {create.error instanceof ApiError
            ? (create.error.body?.message ?? create.error.message)
            : String(create.error)}
        </p>
      ) : null}
      <div className="task-form__buttons">
        <button type="submit" className="button" data-testid="task-submit" disabled={!assignee || create.isPending}>
          {t('tasks.submit')}
        </button>
        <button type="button" className="button button--ghost" onClick={onDone}>
          {t('tasks.cancel')}
        </button>
      </div>
    </form>
  );
}

/** "交办任务" beside a village, a case, a warning or a cell: county and town users only. */
export function AssignTaskButton({ subject, role }: { subject: TaskSubject; role: string | null | undefined }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (role !== 'admin' && role !== 'leader' && role !== 'town_officer') return null;
  return open ? (
    <TaskForm subject={subject} onDone={() => setOpen(false)} />
  ) : (
    <button type="button" className="button" data-testid="assign-task" onClick={() => setOpen(true)}>
      {t('tasks.assign')}
    </button>
  );
}
