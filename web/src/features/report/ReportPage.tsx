import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { adminUnitsQuery } from '../../api/admin-units';
import { configQuery } from '../../api/config';
import { disputeCategories as CATEGORIES, riskLevels as LEVELS } from '../../api/vocabulary';
import { UserMenu } from '../auth/UserMenu';
import { useMe } from '../auth/useMe';
import { QueryError } from '../common/QueryStatus';
import { MyTasks } from '../tasks/MyTasks';
import { flushOutbox, type OutboxEntry, openOutbox } from './outbox';
import { PickMap } from './PickMap';
import { ToDoList } from './ToDoList';
import './report.css';
import { DateField } from '../common/DateField';

const SCREENER_KEY = 'screening-screener';

interface Item {
  category: string;
  riskLevel: string;
  note: string;
}

/** A sync time as people in the county write it: 2023年5月17日 14:03 (China time), or 2023-05-17 14:03. */
function formatSyncTime(iso: string, language: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  const [y, m, day, hm] = [d.slice(0, 4), Number(d.slice(5, 7)), Number(d.slice(8, 10)), d.slice(11, 16)];
  return language === 'en' ? `${d.slice(0, 10)} ${hm}` : `${y}年${m}月${day}日 ${hm}`;
}

/** Today in Beijing, for a form opened offline before the app's configuration was ever loaded. */
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** The phone form (/report): one screening of one village, kept on the device until the server has it. */
export function ReportPage() {
  const { t, i18n } = useTranslation();
  const [town, setTown] = useState('');
  const [village, setVillage] = useState('');
  // The screening day defaults to the county's today (the demo's pinned as-of day), until the screener picks one.
  const config = useQuery(configQuery());
  const [pickedOn, setScreenedOn] = useState<string | null>(null);
  const screenedOn = pickedOn ?? config.data?.asOf.slice(0, 10) ?? today();
  const me = useMe();
  const [screener, setScreener] = useState(() => localStorage.getItem(SCREENER_KEY) || (me?.displayName ?? ''));
  // A field screener reports for their assigned villages only (the server refuses others).
  const mine = (code: string) => !me?.villages || me.villages.some((v) => v === code || v.startsWith(code));
  const [zeroReport, setZeroReport] = useState(false);
  const [items, setItems] = useState<Item[]>([{ category: 'neighbour', riskLevel: 'yellow', note: '' }]);
  const [location, setLocation] = useState<[number, number] | null>(null);
  const [locating, setLocating] = useState(false);
  const [status, setStatus] = useState<{ kind: 'sent' | 'queued' | 'error'; text: string } | null>(null);
  const [queued, setQueued] = useState(0);
  const [lastSync, setLastSync] = useState<string | null>(null);

  const towns = useQuery(adminUnitsQuery('town'));
  const villages = useQuery({ ...adminUnitsQuery('village', town), enabled: town !== '' });
  // A screener whose villages lie in one town starts in that town.
  const onlyTown =
    me?.villages && new Set(me.villages.map((v) => v.slice(0, 9))).size === 1 ? me.villages[0]?.slice(0, 9) : undefined;
  useEffect(() => {
    if (onlyTown && town === '') setTown(onlyTown);
  }, [onlyTown, town]);

  const flush = useCallback(async () => {
    const outbox = await openOutbox();
    const waiting = (await outbox.entries()).length;
    setQueued(waiting);
    setLastSync(await outbox.lastSync());
    if (waiting === 0) return;
    const r = await flushOutbox(outbox);
    setQueued((await outbox.entries()).length);
    setLastSync(await outbox.lastSync());
    if (r.refused.length > 0) {
      setStatus({ kind: 'error', text: t('report.refused', { message: r.refused.map((x) => x.message).join('; ') }) });
    } else if (r.sent.length > 0 && r.queued.length === 0) {
      setStatus({ kind: 'sent', text: t('report.sent', { count: r.sent.length }) });
    } else if (r.queued.length > 0) {
      setStatus({ kind: 'queued', text: t('report.queued', { count: r.queued.length }) });
    }
  }, [t]);

  // Send what waits on the device now and whenever the connection comes back.
  useEffect(() => {
    void flush();
    const online = () => void flush();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [flush]);
  // …and every 10 s while reports wait: not every browser fires `online` when the connection comes back (Chromium
  // 150 under an emulated network change does not), and a phone can regain signal without one.
  useEffect(() => {
    if (queued === 0) return;
    const timer = window.setInterval(() => void flush(), 10_000);
    return () => window.clearInterval(timer);
  }, [queued, flush]);

  function locateByGps() {
    if (!navigator.geolocation) return;
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(false);
        setLocation([p.coords.longitude, p.coords.latitude]);
      },
      () => {
        setLocating(false);
        setStatus({ kind: 'error', text: t('report.gpsFailed') });
      },
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const chosen = villages.data?.features.find((f) => f.properties.code === village);
    if (!chosen) return;
    localStorage.setItem(SCREENER_KEY, screener);
    const entry: OutboxEntry = {
      clientId: crypto.randomUUID(),
      villageCode: village,
      villageName: chosen.properties.name,
      ...(location ? { lon: location[0], lat: location[1] } : {}),
      screenedOn,
      screener,
      zeroReport,
      items: zeroReport ? [] : items,
      queuedAt: new Date().toISOString(),
    };
    // Stored on the device first: closing the page or losing the network loses nothing.
    const outbox = await openOutbox();
    await outbox.add(entry);
    setQueued((await outbox.entries()).length);
    await flush();
    // The outcome (sent / kept on the phone) shows at the top of the form.
    window.scrollTo({ top: 0 });
    setItems([{ category: 'neighbour', riskLevel: 'yellow', note: '' }]);
    setZeroReport(false);
  }

  const setItem = (i: number, patch: Partial<Item>) =>
    setItems((xs) => xs.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  return (
    <div className="report-page" lang={i18n.language}>
      <header className="report-page__header">
        <h1>{t('report.title')}</h1>
        <span>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => void i18n.changeLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
          >
            {i18n.language === 'en' ? '中文' : 'EN'}
          </button>{' '}
          {me?.role === 'screener' ? null : <a href="/?view=screenings">{t('uploads.backToMap')}</a>}
          <UserMenu />
        </span>
      </header>
      <form className="report-form" onSubmit={submit} data-testid="report-form">
        {status && status.kind !== 'queued' ? (
          <div className={`report-status report-status--${status.kind}`} role="status" data-testid="report-status">
            {status.text}
          </div>
        ) : null}
        {queued > 0 ? (
          <div className="report-status report-status--queued" data-testid="report-queued" data-count={queued}>
            {t('report.queued', { count: queued })}
          </div>
        ) : null}
        <p className="report-sync" data-testid="report-sync">
          {t('offline.waiting', { count: queued })} ·{' '}
          {lastSync
            ? t('offline.lastSync', { time: formatSyncTime(lastSync, i18n.language) })
            : t('offline.neverSynced')}
        </p>
        <fieldset>
          <legend>{t('report.where')}</legend>
          {towns.isError ? <QueryError error={towns.error} onRetry={() => void towns.refetch()} /> : null}
          <label>
            {t('report.town')}
            <select
              value={town}
              onChange={(e) => {
                setTown(e.target.value);
                setVillage('');
              }}
              data-testid="report-town"
              required
            >
              <option value="">{towns.isPending ? t('state.loading') : t('report.choose')}</option>
              {towns.data?.features
                .filter((f) => mine(f.properties.code))
                .map((f) => (
                  <option key={f.properties.code} value={f.properties.code}>
                    {f.properties.name}
                  </option>
                ))}
            </select>
          </label>
          <label>
            {t('report.village')}
            <select
              value={village}
              onChange={(e) => setVillage(e.target.value)}
              data-testid="report-village"
              required
              disabled={!town}
            >
              <option value="">{villages.isFetching ? t('state.loading') : t('report.choose')}</option>
              {villages.data?.features
                .filter((f) => mine(f.properties.code))
                .map((f) => (
                  <option key={f.properties.code} value={f.properties.code}>
                    {f.properties.name}
                  </option>
                ))}
            </select>
          </label>
          <MyTasks onPick={setVillage} />
          <ToDoList town={town} onPick={setVillage} />
          <button type="button" className="button" onClick={locateByGps} disabled={locating} data-testid="report-gps">
            {locating ? t('report.locating') : t('report.useGps')}
          </button>
          <PickMap villages={villages.data ?? null} picked={location} onPick={setLocation} />
          <span className="report-location" data-testid="report-location">
            {location
              ? t('report.location', { lon: location[0].toFixed(6), lat: location[1].toFixed(6) })
              : t('report.noLocation')}
          </span>
        </fieldset>
        <fieldset>
          <legend>{t('report.what')}</legend>
          <label>
            {t('report.date')}
            <DateField
              value={screenedOn}
              max={config.data?.asOf.slice(0, 10)}
              onChange={(v) => setScreenedOn(v)}
              required
              data-testid="report-date"
            />
          </label>
          <label>
            {t('report.screener')}
            <input
              type="text"
              value={screener}
              onChange={(e) => setScreener(e.target.value)}
              required
              maxLength={100}
              data-testid="report-screener"
            />
          </label>
          <label className="report-check">
            <input
              type="checkbox"
              checked={zeroReport}
              onChange={(e) => setZeroReport(e.target.checked)}
              data-testid="report-zero"
            />
            {t('report.zeroReport')}
          </label>
          {zeroReport
            ? null
            : items.map((item, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: items are edited in place, never reordered
                <div className="report-item" key={i}>
                  <label>
                    {t('report.category')}
                    <select value={item.category} onChange={(e) => setItem(i, { category: e.target.value })}>
                      {CATEGORIES.map((c) => (
                        <option key={c} value={c}>
                          {t(`category.${c}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {t('report.level')}
                    <select value={item.riskLevel} onChange={(e) => setItem(i, { riskLevel: e.target.value })}>
                      {LEVELS.map((l) => (
                        <option key={l} value={l}>
                          {t(`riskLevel.${l}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button
                    type="button"
                    className="button button--ghost"
                    disabled={items.length === 1}
                    onClick={() => setItems((xs) => xs.filter((_, j) => j !== i))}
                  >
                    {t('report.remove')}
                  </button>
                  <textarea
                    value={item.note}
                    maxLength={2000}
                    placeholder={t('report.note')}
                    onChange={(e) => setItem(i, { note: e.target.value })}
                  />
                </div>
              ))}
          {zeroReport ? null : (
            <button
              type="button"
              className="button button--ghost"
              onClick={() => setItems((xs) => [...xs, { category: 'other', riskLevel: 'blue', note: '' }])}
            >
              {t('report.addItem')}
            </button>
          )}
        </fieldset>
        <button type="submit" className="button" disabled={!village || !screener} data-testid="report-submit">
          {t('report.submit')}
        </button>
      </form>
    </div>
  );
}
