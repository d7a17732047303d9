import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { invalidate } from '../../api/client';
import { NOTIFICATION_ARRIVED_STALE } from '../../api/notifications';
import { TASK_NOTIFICATION_ARRIVED_STALE } from '../../api/tasks';

/**
 * Keeps the bell and the lists live: an EventSource on /api/notifications/stream. The browser reconnects by itself
 * and sends Last-Event-ID, so the server replays what was missed; each notification refreshes the notification
 * queries (and the tasks, which a task notification is about) instead of copying server data into a store.
 */
export function useLiveNotifications(enabled: boolean): 'live' | 'connecting' {
  const qc = useQueryClient();
  const [state, setState] = useState<'live' | 'connecting'>('connecting');
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/notifications/stream');
    source.onopen = () => setState('live');
    source.onerror = () => setState('connecting');
    source.addEventListener('notification', (e) => {
      let family: string | null = null;
      try {
        family = (JSON.parse((e as MessageEvent<string>).data) as { family?: string }).family ?? null;
      } catch {
        // A frame that is not JSON still means something arrived: refresh anyway.
      }
      void invalidate(qc, family === 'task' ? TASK_NOTIFICATION_ARRIVED_STALE : NOTIFICATION_ARRIVED_STALE);
    });
    return () => source.close();
  }, [enabled, qc]);
  return state;
}
