import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { configQuery } from '../../api/config';
import { currentLanguage, setLanguage } from '../../i18n';
import { AdminLink } from '../admin/AdminLink';
import { UserMenu } from '../auth/UserMenu';
import { Bell } from '../notifications/Bell';

export function Header() {
  const { t } = useTranslation();
  const config = useQuery(configQuery());
  const period = config.data?.dataPeriod;
  const next = currentLanguage() === 'en' ? 'zh-CN' : 'en';
  return (
    <header className="header">
      <div className="header__emblem" aria-hidden="true">
        <svg viewBox="0 0 32 32" width="30" height="30" role="presentation">
          <path d="M16 2 4 7v8c0 7.4 5.1 13.3 12 15 6.9-1.7 12-7.6 12-15V7L16 2Z" fill="currentColor" opacity=".9" />
          <path d="M11 16.5 14.5 20 21.5 12" fill="none" stroke="#0b2545" strokeWidth="2.6" strokeLinecap="round" />
        </svg>
      </div>
      <div className="header__titles">
        <h1 className="header__title">{t('app.title')}</h1>
        <p className="header__subtitle">
          <span>{t('app.subtitle')}</span>
          {period ? <span className="header__period">{t('app.period', period)}</span> : null}
        </p>
      </div>
      <p className="header__motto">{t('app.motto')}</p>
      <AdminLink />
      <button
        type="button"
        className="lang-toggle"
        data-testid="lang-toggle"
        aria-label={t('language.label')}
        lang={next}
        onClick={() => setLanguage(next)}
      >
        {t('language.switchTo')}
      </button>
      <Bell />
      <UserMenu />
    </header>
  );
}
