import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { adminUnitsQuery } from '../../api/admin-units';
import {
  type BriefingFrequency,
  type BriefingSchedule,
  briefingSchedulesQuery,
  setBriefingScheduleMutation,
} from '../../api/assessment';
import { errorMessage } from '../../api/client';
import { useMe } from '../auth/useMe';
import { QueryError, QueryLoading } from '../common/QueryStatus';

/**
 * Which counties and towns get a briefing made on schedule (weekly: Monday 08:00 China time, the week just ended;
 * monthly: the 1st, the month just ended). County roles see the list; the administrator turns schedules on and
 * off and adds them (the server refuses anyone else).
 */
export function BriefingSchedules() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const schedules = useQuery(briefingSchedulesQuery());
  const county = useQuery(adminUnitsQuery('county'));
  const towns = useQuery(adminUnitsQuery('town'));
  const save = useMutation(setBriefingScheduleMutation(queryClient));
  const [scope, setScope] = useState('');
  const [frequency, setFrequency] = useState<BriefingFrequency>('weekly');
  const [lang, setLang] = useState<'zh-CN' | 'en'>('zh-CN');
  const isAdmin = me?.role === 'admin';
  const scopes = [...(county.data?.features ?? []), ...(towns.data?.features ?? [])].map((f) => f.properties);
  const chosen = scope || scopes[0]?.code || '';

  const toggle = (s: BriefingSchedule) =>
    save.mutate({ scope: s.scopeCode, frequency: s.frequency, lang: s.lang, enabled: !s.enabled });
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (chosen) save.mutate({ scope: chosen, frequency, lang, enabled: true });
  };

  return (
    <section className="asm-stored" data-testid="briefing-schedules">
      <h3>{t('briefingSchedules.title')}</h3>
      <p className="asm-note">{t('briefingSchedules.note')}</p>
      {schedules.isError ? <QueryError error={schedules.error} onRetry={() => schedules.refetch()} /> : null}
      {schedules.isPending ? <QueryLoading lines={2} /> : null}
      {schedules.data && schedules.data.schedules.length === 0 ? (
        <p className="asm-note">{t('briefingSchedules.none')}</p>
      ) : null}
      {schedules.data && schedules.data.schedules.length > 0 ? (
        <table className="asm-table">
          <thead>
            <tr>
              <th>{t('briefingSchedules.scope')}</th>
              <th>{t('briefingSchedules.frequency')}</th>
              <th>{t('briefingSchedules.lang')}</th>
              <th>{t('briefingSchedules.status')}</th>
              {isAdmin ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {schedules.data.schedules.map((s) => (
              <tr key={s.id} data-testid="schedule-row">
                <td>{s.scopeName}</td>
                <td>{t(`briefingSchedules.${s.frequency}`)}</td>
                <td>{t(`briefingSchedules.langs.${s.lang === 'en' ? 'en' : 'zh'}`)}</td>
                <td data-testid="schedule-status">
                  {s.enabled ? t('briefingSchedules.on') : t('briefingSchedules.off')}
                </td>
                {isAdmin ? (
                  <td>
                    <button
                      type="button"
                      className="button button--ghost"
                      data-testid="schedule-toggle"
                      disabled={save.isPending}
                      onClick={() => toggle(s)}
                    >
                      {s.enabled ? t('briefingSchedules.turnOff') : t('briefingSchedules.turnOn')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {isAdmin ? (
        <form className="asm-controls" onSubmit={add} data-testid="schedule-form">
          <label className="asm-field">
            {t('briefingSchedules.scope')}
            <select value={chosen} onChange={(e) => setScope(e.target.value)} data-testid="schedule-scope">
              {scopes.map((u) => (
                <option key={u.code} value={u.code}>
                  {u.name}
                </option>
              ))}
            </select>
          </label>
          <label className="asm-field">
            {t('briefingSchedules.frequency')}
            <select
              value={frequency}
              onChange={(e) => setFrequency(e.target.value === 'monthly' ? 'monthly' : 'weekly')}
              data-testid="schedule-frequency"
            >
              <option value="weekly">{t('briefingSchedules.weekly')}</option>
              <option value="monthly">{t('briefingSchedules.monthly')}</option>
            </select>
          </label>
          <label className="asm-field">
            {t('briefingSchedules.lang')}
            <select value={lang} onChange={(e) => setLang(e.target.value === 'en' ? 'en' : 'zh-CN')}>
              <option value="zh-CN">{t('briefingSchedules.langs.zh')}</option>
              <option value="en">{t('briefingSchedules.langs.en')}</option>
            </select>
          </label>
          <button type="submit" className="button" disabled={save.isPending || !chosen} data-testid="schedule-add">
            {t('briefingSchedules.add')}
          </button>
        </form>
      ) : null}
      {save.isError ? (
        <p className="asm-note" role="alert">
          {errorMessage(save.error)}
        </p>
      ) : null}
    </section>
  );
}
