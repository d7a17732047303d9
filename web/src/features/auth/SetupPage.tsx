import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setupFirstAdmin, setupNeededQuery } from '../../api/auth';
import { ApiError } from '../../api/client';

/** The first county administrator of a new database, with the one-time code the server printed at start. */
export function SetupPage() {
  const { t } = useTranslation();
  const needed = useQuery(setupNeededQuery());
  const [form, setForm] = useState({
    code: new URLSearchParams(window.location.search).get('code') ?? '',
    username: '',
    displayName: '',
    password: '',
  });
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await setupFirstAdmin(form);
      window.location.assign('/');
    } catch (err) {
      const body = err instanceof ApiError ? err.body : null;
      setError({ field: body?.field, message: body?.message ?? String(err) });
    } finally {
      setBusy(false);
    }
  };
  const field = (name: keyof typeof form, type = 'text', autoComplete = 'off') => (
    <label className="auth-field">
      <span>{t(`auth.setup.${name}`)}</span>
      <input
        name={name}
        type={type}
        autoComplete={autoComplete}
        required
        aria-invalid={error?.field === name}
        value={form[name]}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
    </label>
  );

  return (
    <div className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title" className="auth-card__title">
          {t('auth.setup.title')}
        </h1>
        {needed.data && !needed.data.needed ? (
          <p className="auth-card__hint">
            {t('auth.setup.done')} <a href="/">{t('auth.signIn')}</a>
          </p>
        ) : (
          <>
            <p className="auth-card__subtitle">{t('auth.setup.intro')}</p>
            {field('code')}
            {field('username', 'text', 'username')}
            {field('displayName')}
            {field('password', 'password', 'new-password')}
            <p className="auth-card__hint">{t('auth.passwordRule')}</p>
            {error ? (
              <p className="auth-card__error" role="alert">
                {error.message}
              </p>
            ) : null}
            <button type="submit" className="auth-card__submit" disabled={busy}>
              {t('auth.setup.create')}
            </button>
          </>
        )}
      </form>
    </div>
  );
}
