import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Account, type AccountChange, accountsQuery, changeAccountMutation } from '../../api/accounts';
import type { Me } from '../../api/auth';
import { errorMessage } from '../../api/client';
import { QueryBoundary } from '../common/QueryBoundary';
import { AccountForm } from './AccountForm';
import { formatDateTime } from './format';
import { type Names, townOfVillage, useNames } from './lookups';

type Status = 'active' | 'disabled' | 'locked';
const statusOf = (a: Account): Status => (a.disabled ? 'disabled' : a.locked ? 'locked' : 'active');

/** Accounts: the table with disable / enable, unlock and password reset, and the create form. */
export function AccountsSection({ caller }: { caller: Me }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const accounts = useQuery(accountsQuery());
  const names = useNames();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<Account | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const change = useMutation(changeAccountMutation(queryClient));
  const changeAccount = (a: Account, body: AccountChange) =>
    change.mutate(
      { id: a.id, change: body },
      {
        onSuccess: (saved) => setMessage({ ok: true, text: t('admin.accounts.changed', { username: saved.username }) }),
        onError: (err) => setMessage({ ok: false, text: t('admin.accounts.failed', { message: errorMessage(err) }) }),
      },
    );

  return (
    <section className="panel admin-section" aria-labelledby="admin-accounts-title" data-testid="admin-accounts">
      <div className="panel__heading">
        <h3 id="admin-accounts-title" className="panel__title">
          {t('admin.accounts.title')}
        </h3>
        {creating ? null : (
          <button
            type="button"
            className="button"
            data-testid="account-new"
            onClick={() => {
              setCreating(true);
              setMessage(null);
            }}
          >
            {t('admin.accounts.new')}
          </button>
        )}
      </div>
      <p className="panel__hint">{t('admin.accounts.hint')}</p>
      {creating ? (
        <AccountForm
          names={names}
          onCancel={() => setCreating(false)}
          onCreated={(a) => {
            setCreating(false);
            setMessage({ ok: true, text: t('admin.form.created', { username: a.username }) });
          }}
        />
      ) : null}
      {message ? (
        <p className={message.ok ? 'admin-ok' : 'admin-error'} role="status" data-testid="account-message">
          {message.text}
        </p>
      ) : null}
      <QueryBoundary
        query={accounts}
        lines={5}
        isEmpty={(d) => d.length === 0}
        empty={<p className="muted">{t('admin.accounts.empty')}</p>}
      >
        {(data) => (
          <div className="admin-table-wrap">
            <table className="admin-table" data-testid="accounts-table">
              <thead>
                <tr>
                  <th>{t('admin.accounts.username')}</th>
                  <th>{t('admin.accounts.name')}</th>
                  <th>{t('admin.accounts.role')}</th>
                  <th>{t('admin.accounts.scope')}</th>
                  <th>{t('admin.accounts.status')}</th>
                  <th>{t('admin.accounts.lastLogin')}</th>
                  <th>{t('admin.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.map((a) => {
                  const status = statusOf(a);
                  const self = a.id === caller.id;
                  const busy = change.isPending && change.variables?.id === a.id;
                  return (
                    <tr key={a.id} data-testid={`account-row-${a.username}`}>
                      <td data-label={t('admin.accounts.username')}>
                        <code>{a.username}</code>
                        {a.demo ? <span className="admin-tag">{t('admin.accounts.demo')}</span> : null}
                        {self ? <span className="muted"> {t('admin.accounts.self')}</span> : null}
                      </td>
                      <td data-label={t('admin.accounts.name')}>{a.displayName}</td>
                      <td data-label={t('admin.accounts.role')}>{t(`auth.role.${a.role}`)}</td>
                      <td data-label={t('admin.accounts.scope')}>{scopeText(a, names, t)}</td>
                      <td data-label={t('admin.accounts.status')}>
                        <span className={`admin-badge admin-badge--${status}`}>
                          {t(`admin.accounts.state.${status}`)}
                        </span>
                      </td>
                      <td data-label={t('admin.accounts.lastLogin')}>
                        {formatDateTime(a.lastLoginAt, i18n.language, t('admin.never'))}
                      </td>
                      <td className="admin-row-actions">
                        {self ? null : (
                          <button
                            type="button"
                            className="button button--ghost button--small"
                            disabled={busy}
                            onClick={() => changeAccount(a, { disabled: !a.disabled })}
                          >
                            {a.disabled ? t('admin.accounts.enable') : t('admin.accounts.disable')}
                          </button>
                        )}
                        {a.locked ? (
                          <button
                            type="button"
                            className="button button--ghost button--small"
                            disabled={busy}
                            onClick={() => changeAccount(a, { unlock: true })}
                          >
                            {t('admin.accounts.unlock')}
                          </button>
                        ) : null}
                        <button
                          type="button"
                          className="button button--ghost button--small"
                          onClick={() => {
                            setResetting(a);
                            setMessage(null);
                          }}
                        >
                          {t('admin.accounts.resetPassword')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </QueryBoundary>
      {resetting ? (
        <ResetPasswordDialog
          account={resetting}
          onClose={(done) => {
            setResetting(null);
            if (done) setMessage({ ok: true, text: t('admin.reset.done', { username: resetting.username }) });
          }}
        />
      ) : null}
    </section>
  );
}

function scopeText(a: Account, names: Names, t: TFunction): string {
  if (!names.ready && (a.townCode || a.stationId !== null || a.villages.length > 0)) return '…';
  if (a.townCode) return names.townName.get(a.townCode) ?? a.townCode;
  if (a.stationId !== null) return names.stationName.get(a.stationId) ?? `#${a.stationId}`;
  if (a.villages.length > 0) {
    const towns = [...new Set(a.villages.map(townOfVillage))].map((c) => names.townName.get(c) ?? c);
    return `${towns.join('、')} · ${t('admin.villagesCount', { count: a.villages.length })}`;
  }
  return t('admin.county');
}

function ResetPasswordDialog({ account, onClose }: { account: Account; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const reset = useMutation(changeAccountMutation(queryClient));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reset.mutate({ id: account.id, change: { password } }, { onSuccess: () => onClose(true) });
  };
  return (
    <div className="admin-modal" role="dialog" aria-modal="true" aria-labelledby="admin-reset-title">
      <form className="admin-dialog" onSubmit={submit} data-testid="reset-form">
        <h2 id="admin-reset-title" className="admin-dialog__title">
          {t('admin.reset.title', { username: account.username })}
        </h2>
        <label className="admin-field">
          <span>{t('admin.reset.password')}</span>
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            required
            value={password}
            aria-invalid={reset.isError}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <p className="admin-hint">{t('admin.form.passwordRule')}</p>
        <p className="admin-hint">{t('admin.reset.hint')}</p>
        {reset.isError ? (
          <p className="admin-error" role="alert">
            {errorMessage(reset.error)}
          </p>
        ) : null}
        <div className="admin-form__actions">
          <button type="button" className="button button--ghost" onClick={() => onClose(false)}>
            {t('admin.cancel')}
          </button>
          <button type="submit" className="button" disabled={reset.isPending}>
            {t('admin.reset.save')}
          </button>
        </div>
      </form>
    </div>
  );
}
