import { useTranslation } from 'react-i18next';
import { Header } from '../header/Header';
import { useUrlParam } from '../selection/useUrlParam';
import { AccountsSection } from './AccountsSection';
import { AuditSection } from './AuditSection';
import { NotificationRulesSection } from './NotificationRulesSection';
import { TokensSection } from './TokensSection';
import { useCaller } from './useCaller';
import './admin.css';

const TABS = ['accounts', 'tokens', 'audit', 'notifications'] as const;
type Tab = (typeof TABS)[number];

/** The administrators' page (/admin): accounts, API tokens and the audit log, one tab each (`?tab=`). */
export function AdminPage() {
  const { t } = useTranslation();
  const caller = useCaller();
  const [tabParam, setTab] = useUrlParam('tab');
  const tab: Tab = TABS.find((x) => x === tabParam) ?? 'accounts';
  return (
    <div className="admin-page">
      <Header />
      <nav className="admin-nav" aria-label={t('admin.title')}>
        <h2 className="admin-nav__title">{t('admin.title')}</h2>
        <div className="admin-tabs" role="tablist">
          {TABS.map((id) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={tab === id}
              className="admin-tab"
              data-testid={`admin-tab-${id}`}
              onClick={() => setTab(id === 'accounts' ? null : id)}
            >
              {id === 'notifications' ? t('notificationRules.title') : t(`admin.tabs.${id}`)}
            </button>
          ))}
        </div>
        <a className="admin-nav__back" href="/">
          {t('admin.backToMap')}
        </a>
      </nav>
      <main className="admin-main">
        {caller?.role !== 'admin' ? (
          <p className="panel admin-refused" role="alert">
            {t('admin.onlyAdmins')}
          </p>
        ) : tab === 'accounts' ? (
          <AccountsSection caller={caller} />
        ) : tab === 'tokens' ? (
          <TokensSection />
        ) : tab === 'notifications' ? (
          <NotificationRulesSection />
        ) : (
          <AuditSection />
        )}
      </main>
    </div>
  );
}
