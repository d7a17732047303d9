import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CoverageRoom, coverageGapsQuery, coverageQuery } from '../../api/coverage';
import { useDashboardMap } from '../../map/map-context';
import { QueryBoundary } from '../common/QueryBoundary';
import type { ViewProps } from '../views/types';
import { type StationDraft, StationForm } from './StationForm';
import { MAX_KM, MIN_KM, useCoverageState } from './useCoverageState';
import './coverage.css';

const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 1000) / 10}%` : '–');

/** "Click to fly to it": frames about 5 km around a point, animated. */
function useFlyTo() {
  const map = useDashboardMap();
  const d = 0.05;
  return (lon: number, lat: number) => map?.fitTo([lon - d, lat - d, lon + d, lat + d], true);
}

function RoomCard({ room, onEdit }: { room: CoverageRoom; onEdit: () => void }) {
  const { t } = useTranslation();
  const rows: [string, string][] = [
    [t('coverage.room.kind'), t(`stationKind.${room.kind}`)],
    [t('coverage.room.town'), room.townName],
    [t('coverage.room.host'), room.host?.name ?? '–'],
    [t('coverage.room.staffedBy'), room.staffedBy?.name ?? '–'],
    [t('coverage.room.staff'), String(room.staffCount)],
    [t('coverage.room.open'), String(room.openCases)],
    [t('coverage.room.perMediator'), room.openCasesPerMediator === null ? '–' : String(room.openCasesPerMediator)],
    [
      t('coverage.room.avgDays'),
      room.avgDaysToResolution === null ? '–' : t('coverage.days', { n: room.avgDaysToResolution }),
    ],
    [t('coverage.room.villagesInReach'), String(room.villagesInReach)],
    [
      t('coverage.room.disputesInReach'),
      `${room.disputesInReach} (${t('coverage.room.openShort', { n: room.openDisputesInReach })})`,
    ],
  ];
  return (
    <div className="cov-card" data-testid="room-card">
      <div className="cov-card__head">
        <strong>{room.name}</strong>
        <button type="button" className="button button--ghost" onClick={onEdit} data-testid="room-edit">
          {t('coverage.form.editButton')}
        </button>
      </div>
      <dl className="cov-dl">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** Coverage of joint mediation rooms: reach slider, figures, gaps, suggested sites, the rooms and a form. */
export function CoveragePanel({ onSelectTown }: ViewProps) {
  const { t } = useTranslation();
  const { km, setKm, sites, setSites, station, setStation } = useCoverageState();
  const [sliderKm, setSliderKm] = useState<number | null>(null);
  const coverage = useQuery(coverageQuery(km));
  const gaps = useQuery(coverageGapsQuery(km, sites));
  const [draft, setDraft] = useState<StationDraft | null>(null);
  const flyTo = useFlyTo();
  const shownKm = sliderKm ?? km;
  const data = coverage.data;
  const room = data?.rooms.find((r) => r.id === station) ?? null;

  return (
    <div className="cov-panel" data-testid="coverage-panel">
      <section className="panel">
        <label className="cov-slider">
          <span>
            {t('coverage.reach')} <strong data-testid="coverage-km">{t('coverage.km', { n: shownKm })}</strong>
          </span>
          <input
            type="range"
            min={MIN_KM}
            max={MAX_KM}
            step={1}
            value={shownKm}
            aria-label={t('coverage.reach')}
            data-testid="coverage-slider"
            onChange={(e) => setSliderKm(Number(e.target.value))}
            onPointerUp={() => {
              if (sliderKm !== null) setKm(sliderKm);
              setSliderKm(null);
            }}
            onKeyUp={() => {
              if (sliderKm !== null) setKm(sliderKm);
              setSliderKm(null);
            }}
          />
        </label>
        <QueryBoundary query={coverage} lines={3}>
          {(data) => (
            <div className="cov-figures" data-testid="coverage-figures" data-updating={coverage.isPlaceholderData}>
              <div>
                <span className="cov-figures__value">{pct(data.totals.villagesCovered, data.totals.villages)}</span>
                <span className="cov-figures__label">
                  {t('coverage.totals.villages', { covered: data.totals.villagesCovered, all: data.totals.villages })}
                </span>
              </div>
              <div>
                <span className="cov-figures__value">{pct(data.totals.disputesCovered, data.totals.disputes)}</span>
                <span className="cov-figures__label">
                  {t('coverage.totals.disputes', { covered: data.totals.disputesCovered, all: data.totals.disputes })}
                </span>
              </div>
              <div>
                <span className="cov-figures__value cov-figures__value--alert">
                  {data.totals.openDisputes - data.totals.openDisputesCovered}
                </span>
                <span className="cov-figures__label">
                  {t('coverage.totals.openOutside', { all: data.totals.openDisputes })}
                </span>
              </div>
              <div>
                <span className="cov-figures__value">
                  {data.totals.townsWithRoom}/{data.totals.towns}
                </span>
                <span className="cov-figures__label">{t('coverage.totals.towns')}</span>
              </div>
            </div>
          )}
        </QueryBoundary>
        <div className="cov-legend">
          <span>
            <i className="cov-swatch cov-swatch--area" />
            {t('coverage.legend.area')}
          </span>
          <span>
            <i className="cov-swatch cov-swatch--ring" />
            {t('coverage.legend.ring')}
          </span>
          <span>
            <i className="cov-swatch cov-swatch--uncovered" />
            {t('coverage.legend.uncovered')}
          </span>
          <span>
            <i className="cov-swatch cov-swatch--site" />
            {t('coverage.legend.site')}
          </span>
        </div>
      </section>

      {draft ? (
        <section className="panel">
          <StationForm
            key={draft.id ?? 'new'}
            draft={draft}
            onCancel={() => setDraft(null)}
            onDone={(id) => {
              setDraft(null);
              setStation(id);
            }}
          />
        </section>
      ) : null}

      {room && !draft ? (
        <section className="panel">
          <RoomCard
            room={room}
            onEdit={() =>
              setDraft({
                id: room.id,
                kind: room.kind,
                name: room.name,
                lon: room.lon,
                lat: room.lat,
                staffCount: room.staffCount,
              })
            }
          />
        </section>
      ) : null}

      <section className="panel">
        <div className="cov-head">
          <h2 className="panel__title">{t('coverage.sites.title')}</h2>
          <label className="cov-k">
            <span>{t('coverage.sites.k')}</span>
            <select value={sites} onChange={(e) => setSites(Number(e.target.value))} data-testid="coverage-k">
              {[1, 2, 3, 4, 5, 6, 8, 10].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </div>
        <QueryBoundary
          query={gaps}
          lines={3}
          isEmpty={(d) => d.sites.features.length === 0}
          empty={<p className="muted">{t('coverage.sites.none')}</p>}
        >
          {(g) => (
            <ol className="cov-list" data-testid="coverage-sites">
              {g.sites.features.map((f) => {
                const p = f.properties;
                const [lon, lat] = f.geometry.coordinates as [number, number];
                return (
                  <li key={p.candidate}>
                    <button type="button" className="cov-list__main" onClick={() => flyTo(lon, lat)}>
                      <span className="cov-rank cov-rank--site">{p.rank}</span>
                      <span className="cov-list__name">
                        {p.name}
                        <small>
                          {p.townName} · {t(`coverage.site.kind.${p.kind}`)}
                        </small>
                      </span>
                      <span className="cov-list__figure" title={t('coverage.site.newly')}>
                        +{p.newlyCovered}
                      </span>
                    </button>
                    <button
                      type="button"
                      className="cov-list__action"
                      onClick={() =>
                        setDraft({
                          id: null,
                          kind: 'joint_mediation_room',
                          name: t('coverage.form.newName', { place: p.name }),
                          lon,
                          lat,
                          staffCount: 2,
                        })
                      }
                    >
                      {t('coverage.sites.build')}
                    </button>
                  </li>
                );
              })}
            </ol>
          )}
        </QueryBoundary>
        <details className="cov-method" data-testid="coverage-method">
          <summary>{t('coverage.method.title')}</summary>
          <p>{t('coverage.method.reach', { km })}</p>
          <p>
            {t('coverage.method.greedy', {
              n: gaps.data?.uncoveredDisputes ?? '…',
              c: gaps.data?.candidatesConsidered ?? '…',
            })}
          </p>
          <p>{t('coverage.method.density')}</p>
          <p>{t('coverage.method.limits')}</p>
        </details>
      </section>

      <section className="panel">
        <h2 className="panel__title">{t('coverage.villages.title')}</h2>
        {gaps.data && gaps.data.villages.length === 0 ? <p className="muted">{t('coverage.villages.none')}</p> : null}
        {gaps.data && gaps.data.villages.length > 0 ? (
          <table className="cov-table" data-testid="coverage-villages">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('coverage.villages.village')}</th>
                <th className="num">{t('coverage.villages.disputes')}</th>
                <th className="num">{t('coverage.villages.density')}</th>
              </tr>
            </thead>
            <tbody>
              {gaps.data.villages.map((v) => (
                <tr key={v.code}>
                  <td>{v.rank}</td>
                  <td>
                    {v.name}
                    <small>{v.townName}</small>
                  </td>
                  <td className="num">{v.disputes}</td>
                  <td className="num">{v.perKm2}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      <section className="panel">
        <div className="cov-head">
          <h2 className="panel__title">{t('coverage.rooms.title')}</h2>
          <button
            type="button"
            className="button button--ghost"
            data-testid="station-new"
            onClick={() =>
              setDraft({ id: null, kind: 'joint_mediation_room', name: '', lon: 111.76, lat: 29.64, staffCount: 2 })
            }
          >
            {t('coverage.form.new')}
          </button>
        </div>
        {data ? (
          <>
            <ul className="cov-towns" data-testid="coverage-towns-without">
              {data.towns
                .filter((town) => town.room === null)
                .map((town) => (
                  <li key={town.code}>
                    <button type="button" onClick={() => onSelectTown(town.code)}>
                      {t('coverage.rooms.noRoom', { town: town.name, police: town.policeStation?.name ?? '–' })}
                      <small>
                        {t('coverage.rooms.gap', {
                          villages: town.villagesUncovered,
                          open: town.openDisputesUncovered,
                        })}
                      </small>
                    </button>
                  </li>
                ))}
            </ul>
            <table className="cov-table cov-table--rooms" data-testid="coverage-rooms">
              <thead>
                <tr>
                  <th>{t('coverage.rooms.room')}</th>
                  <th className="num">{t('coverage.rooms.staff')}</th>
                  <th className="num">{t('coverage.rooms.open')}</th>
                  <th className="num">{t('coverage.rooms.perMediator')}</th>
                  <th className="num">{t('coverage.rooms.days')}</th>
                  <th className="num">{t('coverage.rooms.reach')}</th>
                </tr>
              </thead>
              <tbody>
                {data.rooms.map((r) => (
                  <tr
                    key={r.id}
                    className={r.id === station ? 'is-selected' : undefined}
                    onClick={() => {
                      setStation(r.id);
                      flyTo(r.lon, r.lat);
                    }}
                    data-testid={`coverage-room-${r.id}`}
                  >
                    <td>
                      <button type="button" className="cov-link">
                        {r.townName}
                      </button>
                      <small>{r.staffedBy?.name ?? ''}</small>
                    </td>
                    <td className="num">{r.staffCount}</td>
                    <td className="num">{r.openCases}</td>
                    <td className="num">{r.openCasesPerMediator ?? '–'}</td>
                    <td className="num">{r.avgDaysToResolution ?? '–'}</td>
                    <td className="num">{r.villagesInReach}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </section>
    </div>
  );
}
