import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changePassword, logout, setCaller } from '../../api/auth';
import { ApiError } from '../../api/client';
import { useMe } from './useMe';

/** The signed-in person in the header: name, role and scope, password change, sign-out. */
export function UserMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [changing, setChanging] = useState(false);
  if (!me) return null;
  const signOut = async () => {
    await logout().catch(() => {});
    setCaller(queryClient, null);
    window.history.replaceState(null, '', '/');
  };
  return (
    <div className="user-menu">
      <button
        type="button"
        className="user-menu__button"
        aria-expanded={open}
        aria-haspopup="menu"
        data-testid="user-menu"
        onClick={() => setOpen(!open)}
      >
        <span className="user-menu__name">{me.displayName}</span>
        <span className="user-menu__role">{t(`auth.role.${me.role}`)}</span>
      </button>
      {open ? (
        <div className="user-menu__panel" role="menu">
          <p className="user-menu__scope">
            {me.username} · {t(`auth.role.${me.role}`)} ·{' '}
            {me.towns === null ? t('auth.scopeCounty') : t('auth.scopeTowns', { towns: me.towns.join(', ') })}
          </p>
          <button type="button" role="menuitem" onClick={() => setChanging(true)}>
            {t('auth.changePassword')}
          </button>
          <button type="button" role="menuitem" data-testid="sign-out" onClick={() => void signOut()}>
            {t('auth.signOut')}
          </button>
        </div>
      ) : null}
      {changing ? <PasswordDialog onClose={() => setChanging(false)} /> : null}
    </div>
  );
}

function PasswordDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await changePassword(current, next);
      setMessage({ ok: true, text: t('auth.passwordChanged') });
      setCurrent('');
      setNext('');
    } catch (err) {
      setMessage({ ok: false, text: err instanceof ApiError && err.body ? err.body.message : String(err) });
    }
  };
  return (
    <div className="modal" role="dialog" aria-modal="true" aria-labelledby="pw-title">
      <form className="auth-card" onSubmit={submit}>
        <h2 id="pw-title" className="auth-card__title">
          {t('auth.changePassword')}
        </h2>
        <label className="auth-field">
          <span>{t('auth.currentPassword')}</span>
          <input
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </label>
        <label className="auth-field">
          <span>{t('auth.newPassword')}</span>
          <input
            type="password"
            autoComplete="new-password"
            required
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </label>
        <p className="auth-card__hint">{t('auth.passwordRule')}</p>
        {message ? (
          <p className={message.ok ? 'auth-card__ok' : 'auth-card__error'} role="status">
            {message.text}
          </p>
        ) : null}
        <div className="auth-card__actions">
          <button type="button" onClick={onClose}>
            {t('auth.close')}
          </button>
          <button type="submit" className="auth-card__submit">
            {t('auth.save')}
          </button>
        </div>
      </form>
    </div>
  );
}
