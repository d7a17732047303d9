import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { riskLevels, stationKinds } from '../../api/vocabulary';
import { COLORS, RISK_COLORS, STATION_COLORS, STATION_RADIUS } from '../../map/layers';

/** Map key drawn from the same colour constants as the layers, so the two cannot drift apart. */
export function Legend() {
  const { t } = useTranslation();
  // On a narrow screen the key would cover much of the county: start folded there.
  const [open, setOpen] = useState(() => !window.matchMedia('(max-width: 1200px)').matches);
  return (
    <aside className={`legend ${open ? '' : 'legend--closed'}`} aria-label={t('legend.title')} data-testid="legend">
      <button type="button" className="legend__toggle" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
        {t('legend.title')}
        <span aria-hidden="true">{open ? '−' : '+'}</span>
      </button>
      {open ? (
        <div className="legend__body">
          <h3>{t('legend.disputes')}</h3>
          <ul>
            {riskLevels.map((level) => (
              <li key={level}>
                <span className="swatch-box">
                  <span className="swatch swatch--dot" style={{ background: RISK_COLORS[level] }} />
                </span>
                {t(`riskLevel.${level}`)}
              </li>
            ))}
          </ul>
          <h3>{t('legend.stations')}</h3>
          <ul>
            {stationKinds.map((kind) => (
              <li key={kind}>
                <span className="swatch-box">
                  <span
                    className="swatch swatch--station"
                    style={{
                      background: STATION_COLORS[kind],
                      width: STATION_RADIUS[kind] * 2,
                      height: STATION_RADIUS[kind] * 2,
                    }}
                  />
                </span>
                <span>
                  {t(`stationKind.${kind}`)}
                  {kind === 'village_mediation_committee' ? <small>{t('legend.zoomHint')}</small> : null}
                </span>
              </li>
            ))}
          </ul>
          <h3>{t('legend.boundaries')}</h3>
          <ul>
            <li>
              <span className="swatch-box">
                <span className="swatch swatch--line" style={{ borderColor: COLORS.countyLine, borderTopWidth: 3 }} />
              </span>
              {t('legend.county')}
            </li>
            <li>
              <span className="swatch-box">
                <span className="swatch swatch--line" style={{ borderColor: COLORS.townLine }} />
              </span>
              {t('legend.town')}
            </li>
            <li>
              <span className="swatch-box">
                <span
                  className="swatch swatch--line"
                  style={{ borderColor: COLORS.villageLine, borderTopStyle: 'dashed', borderTopWidth: 1 }}
                />
              </span>
              {t('legend.village')}
            </li>
          </ul>
        </div>
      ) : null}
    </aside>
  );
}
