import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { meQuery } from '../../api/auth';
import { QueryError } from '../common/QueryStatus';
import { LoginPage } from './LoginPage';
import { SetupPage } from './SetupPage';

/**
 * Shows the sign-in page until someone is signed in (a session that expires brings it back: any 401 resets the
 * `me` query, see main.tsx), and the first-administrator page on /setup.
 */
export function AuthGate({ children }: { children: (role: string) => ReactNode }) {
  const { t } = useTranslation();
  const me = useQuery(meQuery());
  if (window.location.pathname === '/setup') return <SetupPage />;
  if (me.isPending) {
    return (
      <div className="auth-page" aria-busy="true">
        <p className="auth-card__hint">{t('auth.checking')}</p>
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="auth-page">
        <QueryError error={me.error} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  if (!me.data) return <LoginPage />;
  return <>{children(me.data.role)}</>;
}
