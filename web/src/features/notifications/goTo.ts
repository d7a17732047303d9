import type { NotificationItem } from '../../api/notifications';

/**
 * "Go to": the dashboard's state is its URL, so going to a case or a village is writing the view, town and object
 * into it (one history entry) and telling the URL hooks.
 */
export function goToUrl(
  search: string,
  n: Pick<NotificationItem, 'disputeId' | 'townCode' | 'villageCode' | 'taskId' | 'family'>,
): string {
  const params = new URLSearchParams(search);
  for (const k of ['case', 'village', 'caseForm', 'caseAt', 'task']) params.delete(k);
  if (n.townCode) params.set('town', n.townCode);
  if (n.family === 'task' && n.taskId !== null) {
    params.set('view', 'tasks');
    params.set('task', String(n.taskId));
  } else if (n.disputeId !== null) {
    params.set('view', 'cases');
    params.set('case', String(n.disputeId));
  } else if (n.villageCode) {
    params.set('view', 'hotspots');
    params.set('village', n.villageCode);
  }
  const out = params.toString();
  return out ? `?${out}` : '';
}
