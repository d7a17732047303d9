import type { TFunction } from 'i18next';
import type { NotificationItem } from '../../api/notifications';
import type { TaskAction } from '../../api/tasks';
import type { DisputeStatus, RiskLevel } from '../../api/vocabulary';

/** The message codes the server publishes (server/services/notifications …) that have a text here. */
const codes = [
  'case.created',
  'case.handoff',
  'case.changed.edit',
  'case.changed.transition',
  'case.changed.agreement',
  'case.changed.reopened',
  'screening.high_risk',
  'task.assigned',
  'task.accepted',
  'task.reported',
  'task.closed',
  'task.sent_back',
  'task.overdue',
  'task.escalated',
  'warning.raised',
] as const;
type Code = (typeof codes)[number];
const isCode = (v: string): v is Code => (codes as readonly string[]).includes(v);

const actions: readonly string[] = ['verify', 'visit', 'mediate', 'rescreen', 'report_back'];
const risks: readonly string[] = ['red', 'orange', 'yellow', 'blue'];
const statuses: readonly string[] = ['reported', 'accepted', 'mediating', 'resolved', 'failed', 'referred'];

/** The notification's text in the current language, its parameters' codes (action, risk, status) spelt out. */
export function notificationText(t: TFunction, n: NotificationItem): string {
  const p = n.params;
  const extra: Record<string, string | number> = { ...p };
  if (typeof p.action === 'string' && actions.includes(p.action)) {
    extra.actionLabel = t(`tasks.actions.${p.action as TaskAction}`);
  }
  if (typeof p.riskLevel === 'string' && risks.includes(p.riskLevel))
    extra.risk = t(`risk.${p.riskLevel as RiskLevel}`);
  if (typeof p.status === 'string' && statuses.includes(p.status)) {
    extra.statusLabel = t(`status.${p.status as DisputeStatus}`);
  }
  if (extra.label === undefined) extra.label = String(p.rule ?? p.code ?? '');
  return isCode(n.title) ? t(`notifications.messages.${n.title}`, extra) : t('notifications.messages.fallback');
}
