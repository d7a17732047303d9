import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  inboxQuery,
  markReadMutation,
  type NotificationFamily,
  type NotificationItem,
  notificationFamilies,
  unreadQuery,
} from '../../api/notifications';
import { formatDate } from '../../lib/format';
import { useMe } from '../auth/useMe';
import { QueryError, QueryLoading } from '../common/QueryStatus';
import { navigate } from '../selection/url-store';
import { goToUrl } from './goTo';
import { notificationText } from './messages';
import { useLiveNotifications } from './useLiveNotifications';
import './notifications.css';

/** The header's bell: unread count, and the list (newest first, by kind, mark read, go to), live over SSE. */
export function Bell({ onGoTo }: { onGoTo?: (search: string) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const signedIn = me !== null && me !== undefined && me.role !== 'export_client';
  const live = useLiveNotifications(signedIn);
  const unread = useQuery({ ...unreadQuery(), enabled: signedIn });
  const [open, setOpen] = useState(false);
  if (!signedIn) return null;
  const count = unread.data?.unread ?? 0;
  return (
    <div className="bell">
      <button
        type="button"
        className="bell__button"
        data-testid="bell"
        data-live={live}
        aria-expanded={open}
        aria-label={count > 0 ? t('notifications.bellUnread', { count }) : t('notifications.bell')}
        onClick={() => setOpen(!open)}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
            fill="currentColor"
          />
        </svg>
        {count > 0 ? (
          <span className="bell__count" data-testid="bell-count">
            {count > 99 ? '99+' : count}
          </span>
        ) : null}
      </button>
      {open ? (
        <NotificationList
          live={live}
          onGoTo={(search) => {
            setOpen(false);
            (onGoTo ?? navigate)(search);
          }}
        />
      ) : null}
    </div>
  );
}

function NotificationList({ live, onGoTo }: { live: 'live' | 'connecting'; onGoTo: (search: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [family, setFamily] = useState<NotificationFamily | null>(null);
  const inbox = useQuery(inboxQuery(family));
  const mark = useMutation(markReadMutation(qc));
  const items = inbox.data?.items ?? [];
  const open = (n: NotificationItem) => {
    if (!n.read) mark.mutate({ ids: [n.id] });
    onGoTo(goToUrl(window.location.search, n));
  };
  return (
    <section className="bell__panel" aria-label={t('notifications.title')} data-testid="notification-panel">
      <header className="bell__head">
        <h2>{t('notifications.title')}</h2>
        <span className={`bell__live bell__live--${live}`}>
          {live === 'live' ? t('notifications.live') : t('notifications.offline')}
        </span>
        <button
          type="button"
          className="button button--ghost"
          data-testid="mark-all-read"
          disabled={!inbox.data?.unread}
          onClick={() => mark.mutate({ all: true, ...(items[0] ? { upTo: items[0].id } : {}) })}
        >
          {t('notifications.markAllRead')}
        </button>
      </header>
      <fieldset className="bell__filters">
        {[null, ...notificationFamilies].map((f) => (
          <button
            key={f ?? 'all'}
            type="button"
            className={family === f ? 'hot-chip hot-chip--active' : 'hot-chip'}
            aria-pressed={family === f}
            onClick={() => setFamily(f)}
          >
            {f ? t(`notifications.families.${f}`) : t('notifications.all')}
          </button>
        ))}
      </fieldset>
      {inbox.isPending ? (
        <QueryLoading lines={4} />
      ) : inbox.isError ? (
        <QueryError error={inbox.error} onRetry={() => void inbox.refetch()} />
      ) : items.length === 0 ? (
        <p className="bell__empty">{t('notifications.empty')}</p>
      ) : (
        <ul className="bell__list" data-testid="notification-list">
          {items.map((n) => (
            <li key={n.id} className={`bell__item${n.read ? '' : ' bell__item--unread'}`} data-kind={n.kind}>
              <p className="bell__text">
                {n.level === 'county' ? <span className="bell__level">{t('notifications.county')}</span> : null}
                {notificationText(t, n)}
              </p>
              <p className="bell__meta">
                {[n.townName, n.villageName, n.stationName].filter(Boolean).join(' · ')} · {formatDate(n.createdAt)}{' '}
                {n.createdAt.slice(11, 16)}
              </p>
              <div className="bell__actions">
                {n.point || n.taskId !== null || n.disputeId !== null ? (
                  <button
                    type="button"
                    className="button button--ghost"
                    data-testid="notification-go"
                    onClick={() => open(n)}
                  >
                    {n.family === 'task' ? t('notifications.openTask') : t('notifications.goTo')}
                  </button>
                ) : null}
                {!n.read ? (
                  <button type="button" className="button button--ghost" onClick={() => mark.mutate({ ids: [n.id] })}>
                    {t('notifications.markRead')}
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
