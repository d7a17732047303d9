import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ACCOUNT_ROLES,
  type Account,
  type AccountRole,
  createAccountMutation,
  type NewAccount,
} from '../../api/accounts';
import { adminUnitsQuery } from '../../api/admin-units';
import { ApiError, errorField, errorMessage } from '../../api/client';
import type { Names } from './lookups';

/** The one scope field each role needs (the server refuses the others: no mass assignment). */
const SCOPE_FIELD: Record<AccountRole, 'townCode' | 'stationId' | 'villages' | null> = {
  admin: null,
  leader: null,
  town_officer: 'townCode',
  station_staff: 'stationId',
  screener: 'villages',
};

interface Props {
  names: Names;
  onCancel: () => void;
  onCreated: (account: Account) => void;
}

/** Create an account: the role picker shows exactly the scope field the role needs; 400s land at their field. */
export function AccountForm({ names, onCancel, onCreated }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<AccountRole>('town_officer');
  const [password, setPassword] = useState('');
  const [townCode, setTownCode] = useState('');
  const [stationId, setStationId] = useState('');
  const [villageTown, setVillageTown] = useState('');
  const [villages, setVillages] = useState<string[]>([]);
  const villageList = useQuery({ ...adminUnitsQuery('village', villageTown), enabled: villageTown !== '' });
  const scope = SCOPE_FIELD[role];

  const create = useMutation(createAccountMutation(queryClient));
  const field = create.isError ? (errorField(create.error) ?? 'form') : null;
  // The server words its 400s in English for API users; the form says the common ones in the page's language.
  const localized = (name: string): string => {
    const err = create.error;
    if (err instanceof ApiError && err.status === 409 && name === 'username') return t('admin.form.taken');
    if (name === 'password') return t('admin.form.passwordBad');
    if (name === 'username') return t('admin.form.usernameBad');
    if (['townCode', 'stationId', 'villages'].includes(name) && /needs/.test(errorMessage(err))) {
      return t('admin.form.needsScope');
    }
    return errorMessage(err);
  };
  const problem = (name: string) =>
    field === name ? (
      <em
        className="admin-field__error"
        role="alert"
        title={errorMessage(create.error)}
        data-testid={`account-error-${name}`}
      >
        {localized(name)}
      </em>
    ) : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: NewAccount = { username: username.trim(), displayName: displayName.trim(), role, password };
    if (scope === 'townCode' && townCode) body.townCode = townCode;
    if (scope === 'stationId' && stationId) body.stationId = Number(stationId);
    if (scope === 'villages' && villages.length > 0) body.villages = villages;
    create.mutate(body, { onSuccess: onCreated });
  };
  const toggleVillage = (code: string) =>
    setVillages((v) => (v.includes(code) ? v.filter((x) => x !== code) : [...v, code].sort()));
  const known = new Set(['username', 'displayName', 'role', 'password', 'townCode', 'stationId', 'villages']);

  return (
    <form className="admin-form" onSubmit={submit} data-testid="account-form" noValidate>
      <h4 className="admin-form__title">{t('admin.form.title')}</h4>
      <label className="admin-field">
        <span>{t('admin.form.username')}</span>
        <input
          name="username"
          autoComplete="off"
          required
          value={username}
          aria-invalid={field === 'username'}
          onChange={(e) => setUsername(e.target.value)}
        />
        <small>{t('admin.form.usernameHint')}</small>
        {problem('username')}
      </label>
      <label className="admin-field">
        <span>{t('admin.form.displayName')}</span>
        <input
          name="displayName"
          autoComplete="off"
          required
          value={displayName}
          aria-invalid={field === 'displayName'}
          onChange={(e) => setDisplayName(e.target.value)}
        />
        {problem('displayName')}
      </label>
      <label className="admin-field">
        <span>{t('admin.form.role')}</span>
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as AccountRole)}>
          {ACCOUNT_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`auth.role.${r}`)}
            </option>
          ))}
        </select>
        {problem('role')}
      </label>
      {scope === 'townCode' ? (
        <label className="admin-field">
          <span>{t('admin.form.town')}</span>
          <select
            name="townCode"
            value={townCode}
            aria-invalid={field === 'townCode'}
            onChange={(e) => setTownCode(e.target.value)}
          >
            <option value="">{t('admin.form.choose')}</option>
            {names.townList.map((x) => (
              <option key={x.code} value={x.code}>
                {x.name}
              </option>
            ))}
          </select>
          {problem('townCode')}
        </label>
      ) : null}
      {scope === 'stationId' ? (
        <label className="admin-field">
          <span>{t('admin.form.station')}</span>
          <select
            name="stationId"
            value={stationId}
            aria-invalid={field === 'stationId'}
            onChange={(e) => setStationId(e.target.value)}
          >
            <option value="">{t('admin.form.choose')}</option>
            {names.townList.map((town) => {
              const here = names.stationList.filter((s) => s.townCode === town.code);
              return here.length === 0 ? null : (
                <optgroup key={town.code} label={town.name}>
                  {here.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </optgroup>
              );
            })}
          </select>
          {problem('stationId')}
        </label>
      ) : null}
      {scope === 'villages' ? (
        <fieldset className="admin-field admin-field--wide admin-villages" aria-invalid={field === 'villages'}>
          <legend>{t('admin.form.villages')}</legend>
          <select
            name="villageTown"
            aria-label={t('admin.form.villagesTown')}
            value={villageTown}
            onChange={(e) => setVillageTown(e.target.value)}
          >
            <option value="">{t('admin.form.villagesTown')}</option>
            {names.townList.map((x) => (
              <option key={x.code} value={x.code}>
                {x.name}
              </option>
            ))}
          </select>
          {villageTown && villageList.data ? (
            villageList.data.features.length === 0 ? (
              <small>{t('admin.form.noVillages')}</small>
            ) : (
              <div className="admin-villages__list">
                {villageList.data.features
                  .map((f) => f.properties)
                  .sort((a, b) => a.code.localeCompare(b.code))
                  .map((v) => (
                    <label key={v.code} className="admin-check">
                      <input
                        type="checkbox"
                        name="villages"
                        value={v.code}
                        checked={villages.includes(v.code)}
                        onChange={() => toggleVillage(v.code)}
                      />
                      {v.name}
                    </label>
                  ))}
              </div>
            )
          ) : null}
          <small>{t('admin.form.villagesChosen', { count: villages.length })}</small>
          {problem('villages')}
        </fieldset>
      ) : null}
      <label className="admin-field">
        <span>{t('admin.form.password')}</span>
        <input
          type="password"
          name="password"
          autoComplete="new-password"
          required
          value={password}
          aria-invalid={field === 'password'}
          onChange={(e) => setPassword(e.target.value)}
        />
        <small>{t('admin.form.passwordRule')}</small>
        {problem('password')}
      </label>
      {field !== null && !known.has(field) ? (
        <p className="admin-error admin-field--wide" role="alert" data-testid="account-error-form">
          {t('admin.form.error', { message: errorMessage(create.error) })}
        </p>
      ) : null}
      <div className="admin-form__actions admin-field--wide">
        <button type="button" className="button button--ghost" onClick={onCancel}>
          {t('admin.cancel')}
        </button>
        <button type="submit" className="button" disabled={create.isPending} data-testid="account-create">
          {create.isPending ? t('admin.form.creating') : t('admin.form.create')}
        </button>
      </div>
    </form>
  );
}
