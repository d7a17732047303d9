import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { login, setCaller } from '../../api/auth';
import { ApiError } from '../../api/client';
import { configQuery } from '../../api/config';
import { currentLanguage, setLanguage } from '../../i18n';

/** Sign-in: username and password; wrong, locked and rate-limited answers are told apart. */
export function LoginPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const config = useQuery(configQuery());
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const next = currentLanguage() === 'en' ? 'zh-CN' : 'en';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await login(username.trim(), password);
      setCaller(queryClient, me);
      // A field screener's page is the phone form.
      if (me.role === 'screener' && window.location.pathname === '/') window.location.assign('/report');
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setError(
        status === 401
          ? t('auth.wrong')
          : status === 423
            ? t('auth.locked')
            : status === 429
              ? t('auth.tooMany')
              : t('auth.failed', { message: err instanceof Error ? err.message : String(err) }),
      );
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="auth-page">
      <form className="auth-card" onSubmit={submit} data-testid="login-form" aria-labelledby="login-title">
        <div className="auth-card__top">
          <h1 id="login-title" className="auth-card__title">
            {t('app.title')}
          </h1>
          <button type="button" className="auth-card__lang" lang={next} onClick={() => setLanguage(next)}>
            {t('language.switchTo')}
          </button>
        </div>
        <p className="auth-card__subtitle">{t('auth.subtitle')}</p>
        <label className="auth-field">
          <span>{t('auth.username')}</span>
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="auth-field">
          <span>{t('auth.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error ? (
          <p className="auth-card__error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="auth-card__submit" disabled={busy}>
          {busy ? t('auth.signingIn') : t('auth.signIn')}
        </button>
        {config.data?.demo ? <p className="auth-card__hint">{t('auth.demoHint')}</p> : null}
        <p className="auth-card__legal">{t('auth.legal')}</p>
      </form>
    </div>
  );
}
