import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorField, errorMessage } from '../../api/client';
import { type ApiToken, createTokenMutation, revokeTokenMutation, tokensQuery } from '../../api/tokens';
import { QueryBoundary } from '../common/QueryBoundary';
import { formatDateTime } from './format';
import { useNames } from './lookups';

/** API tokens for export clients: list, create (shown once), revoke with a confirmation. */
export function TokensSection() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const tokens = useQuery(tokensQuery());
  const names = useNames();
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<{ token: string; expiresAt: string; name: string } | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const revoke = useMutation(revokeTokenMutation(queryClient));
  const now = Date.now();
  const stateOf = (x: ApiToken) =>
    x.revokedAt
      ? t('admin.tokens.revokedAt', { at: formatDateTime(x.revokedAt, i18n.language) })
      : x.expiresAt && Date.parse(x.expiresAt) < now
        ? t('admin.tokens.expired')
        : t('admin.tokens.active');

  return (
    <section className="panel admin-section" aria-labelledby="admin-tokens-title" data-testid="admin-tokens">
      <div className="panel__heading">
        <h3 id="admin-tokens-title" className="panel__title">
          {t('admin.tokens.title')}
        </h3>
        {creating || issued ? null : (
          <button type="button" className="button" data-testid="token-new" onClick={() => setCreating(true)}>
            {t('admin.tokens.new')}
          </button>
        )}
      </div>
      <p className="panel__hint">{t('admin.tokens.hint')}</p>
      {issued ? <IssuedToken issued={issued} onDone={() => setIssued(null)} /> : null}
      {creating ? (
        <TokenForm
          towns={names.townList}
          onCancel={() => setCreating(false)}
          onCreated={(x) => {
            setCreating(false);
            setIssued(x);
          }}
        />
      ) : null}
      {revoke.isError ? (
        <p className="admin-error" role="alert">
          {t('admin.tokens.revokeFailed', { message: errorMessage(revoke.error) })}
        </p>
      ) : null}
      <QueryBoundary
        query={tokens}
        lines={4}
        isEmpty={(d) => d.length === 0}
        empty={<p className="muted">{t('admin.tokens.empty')}</p>}
      >
        {(data) => (
          <div className="admin-table-wrap">
            <table className="admin-table" data-testid="tokens-table">
              <thead>
                <tr>
                  <th>{t('admin.tokens.name')}</th>
                  <th>{t('admin.tokens.prefix')}</th>
                  <th>{t('admin.tokens.town')}</th>
                  <th>{t('admin.tokens.created')}</th>
                  <th>{t('admin.tokens.expires')}</th>
                  <th>{t('admin.tokens.lastUsed')}</th>
                  <th>{t('admin.tokens.state')}</th>
                  <th>{t('admin.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {[...data].reverse().map((x) => (
                  <tr
                    key={x.id}
                    className={x.revokedAt ? 'admin-row--off' : undefined}
                    data-testid={`token-row-${x.id}`}
                  >
                    <td data-label={t('admin.tokens.name')}>{x.name}</td>
                    <td data-label={t('admin.tokens.prefix')}>
                      <code>{x.prefix}…</code>
                    </td>
                    <td data-label={t('admin.tokens.town')}>
                      {x.townCode ? (names.townName.get(x.townCode) ?? x.townCode) : t('admin.county')}
                    </td>
                    <td data-label={t('admin.tokens.created')}>{formatDateTime(x.createdAt, i18n.language)}</td>
                    <td data-label={t('admin.tokens.expires')}>{formatDateTime(x.expiresAt, i18n.language)}</td>
                    <td data-label={t('admin.tokens.lastUsed')}>
                      {formatDateTime(x.lastUsedAt, i18n.language, t('admin.never'))}
                    </td>
                    <td data-label={t('admin.tokens.state')}>{stateOf(x)}</td>
                    <td className="admin-row-actions">
                      {x.revokedAt ? null : confirming === x.id ? (
                        <span className="admin-confirm" role="alert">
                          <span>{t('admin.tokens.confirmRevoke', { name: x.name })}</span>
                          <button
                            type="button"
                            className="button button--danger button--small"
                            disabled={revoke.isPending}
                            data-testid="token-revoke-yes"
                            onClick={() => revoke.mutate(x.id, { onSuccess: () => setConfirming(null) })}
                          >
                            {t('admin.tokens.revokeYes')}
                          </button>
                          <button
                            type="button"
                            className="button button--ghost button--small"
                            onClick={() => setConfirming(null)}
                          >
                            {t('admin.cancel')}
                          </button>
                        </span>
                      ) : (
                        <button
                          type="button"
                          className="button button--ghost button--small"
                          data-testid="token-revoke"
                          onClick={() => setConfirming(x.id)}
                        >
                          {t('admin.tokens.revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryBoundary>
    </section>
  );
}

interface TokenFormProps {
  towns: { code: string; name: string }[];
  onCancel: () => void;
  onCreated: (issued: { token: string; expiresAt: string; name: string }) => void;
}

function TokenForm({ towns, onCancel, onCreated }: TokenFormProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [townCode, setTownCode] = useState('');
  const create = useMutation(createTokenMutation(queryClient));
  const field = create.isError ? errorField(create.error) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name: name.trim(), expiresInDays: Number(days), ...(townCode ? { townCode } : {}) },
      { onSuccess: (r) => onCreated({ token: r.token, expiresAt: r.expiresAt, name: name.trim() }) },
    );
  };
  return (
    <form className="admin-form" onSubmit={submit} data-testid="token-form" noValidate>
      <label className="admin-field">
        <span>{t('admin.tokens.name')}</span>
        <input
          name="name"
          autoComplete="off"
          required
          maxLength={80}
          value={name}
          aria-invalid={field === 'name'}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="admin-field">
        <span>{t('admin.tokens.expiryDays')}</span>
        <input
          name="expiresInDays"
          type="number"
          min={1}
          max={3650}
          required
          value={days}
          aria-invalid={field === 'expiresInDays'}
          onChange={(e) => setDays(e.target.value)}
        />
      </label>
      <label className="admin-field">
        <span>{t('admin.tokens.townOptional')}</span>
        <select name="townCode" value={townCode} onChange={(e) => setTownCode(e.target.value)}>
          <option value="">{t('admin.tokens.wholeCounty')}</option>
          {towns.map((x) => (
            <option key={x.code} value={x.code}>
              {x.name}
            </option>
          ))}
        </select>
      </label>
      {create.isError ? (
        <p className="admin-error admin-field--wide" role="alert" data-testid="token-error">
          {t('admin.tokens.error', { message: errorMessage(create.error) })}
        </p>
      ) : null}
      <div className="admin-form__actions admin-field--wide">
        <button type="button" className="button button--ghost" onClick={onCancel}>
          {t('admin.cancel')}
        </button>
        <button type="submit" className="button" disabled={create.isPending} data-testid="token-create">
          {create.isPending ? t('admin.tokens.creating') : t('admin.tokens.create')}
        </button>
      </div>
    </form>
  );
}

/** The new token, shown this once: a warning, the secret and a copy button. */
function IssuedToken({
  issued,
  onDone,
}: {
  issued: { token: string; expiresAt: string; name: string };
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const doCopy = async () => {
    try {
      await navigator.clipboard.writeText(issued.token);
      setCopy('copied');
    } catch {
      // Clipboard API refused (plain http, permissions): leave the text selected for Ctrl+C.
      input.current?.select();
      setCopy('failed');
    }
  };
  return (
    <div className="admin-issued" role="alert" data-testid="token-issued">
      <strong>{issued.name}</strong>
      <p className="admin-issued__warning">{t('admin.tokens.shownOnce')}</p>
      <div className="admin-issued__secret">
        <input
          ref={input}
          readOnly
          value={issued.token}
          aria-label={issued.name}
          data-testid="token-secret"
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="button" data-testid="token-copy" onClick={() => void doCopy()}>
          {copy === 'copied' ? t('admin.tokens.copied') : t('admin.tokens.copy')}
        </button>
      </div>
      {copy === 'failed' ? <small>{t('admin.tokens.copyFailed')}</small> : null}
      <div className="admin-issued__foot">
        <small>{t('admin.tokens.expiresOn', { at: formatDateTime(issued.expiresAt, i18n.language) })}</small>
        <button type="button" className="button button--ghost" data-testid="token-done" onClick={onDone}>
          {t('admin.tokens.done')}
        </button>
      </div>
    </div>
  );
}
