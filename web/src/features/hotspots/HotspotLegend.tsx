import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { hotspotsQuery, unresolvedQuery } from '../../api/analytics';
import { formatCount } from '../../lib/format';
import {
  AGE_COLORS,
  CHOROPLETH_RAMP,
  EMERGING_COLORS,
  GI_BIN_COLORS,
  GI_BINS,
  type HotLayer,
  hotspotZoom,
  RISK_RADIUS,
} from '../../lib/hotspots';
import { useDisputeFilters } from '../filters/useFilters';

function Swatch({ color, round = false, size = 12 }: { color: string; round?: boolean; size?: number }) {
  return (
    <span
      className="hot-swatch"
      style={{ background: color, borderRadius: round ? '50%' : 2, width: size, height: size }}
      aria-hidden="true"
    />
  );
}

/** The legend of the active layer, with the statistic's neighbourhood and class counts for hot spots. */
export function HotspotLegend({ layer, town }: { layer: HotLayer; town: string | null }) {
  const { t, i18n } = useTranslation();
  const filters = useDisputeFilters(town);
  const isCells = layer === 'hotspots' || layer === 'risks';
  const cells = useQuery({
    ...hotspotsQuery(filters, layer === 'risks' ? 'risks' : 'disputes', hotspotZoom(town)),
    enabled: isCells,
  });
  const unresolved = useQuery({ ...unresolvedQuery(filters), enabled: layer === 'unresolved' });
  const locale = i18n.language;

  if (isCells) {
    const meta = cells.data?.meta;
    return (
      <div className="hot-legend" data-testid="hot-legend">
        <ul>
          {GI_BINS.map((b) => (
            <li key={b}>
              <Swatch color={GI_BIN_COLORS[String(b)] as string} />
              {t(`hotspots.bin.${b}`)}
              {meta && b !== 0 ? (
                <span className="hot-legend__count">
                  {formatCount(meta[`${b > 0 ? 'hot' : 'cold'}${[90, 95, 99][Math.abs(b) - 1]}` as 'hot99'], locale)}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
        {meta ? (
          <p
            className="hot-note"
            data-testid="hot-summary"
            data-hot99={meta.hot99}
            data-cells={cells.data?.features.length}
          >
            {t('hotspots.method', {
              size: formatCount(meta.cellSize, locale),
              cells: formatCount(meta.studyCells, locale),
            })}
          </p>
        ) : null}
        {cells.data && cells.data.features.length === 0 ? <p className="hot-empty">{t('hotspots.empty')}</p> : null}
      </div>
    );
  }
  if (layer === 'emerging') {
    return (
      <div className="hot-legend" data-testid="hot-legend">
        <ul>
          {(Object.keys(EMERGING_COLORS) as (keyof typeof EMERGING_COLORS)[]).map((p) => (
            <li key={p}>
              <Swatch color={EMERGING_COLORS[p]} />
              {t(`hotspots.pattern.${p}`)}
            </li>
          ))}
        </ul>
        <p className="hot-note">{t('hotspots.emergingMethod')}</p>
      </div>
    );
  }
  if (layer === 'heat') {
    return (
      <div className="hot-legend" data-testid="hot-legend">
        <div className="hot-ramp hot-ramp--heat" aria-hidden="true" />
        <div className="hot-ramp__labels">
          <span>{t('hotspots.low')}</span>
          <span>{t('hotspots.high')}</span>
        </div>
        <p className="hot-note">{t('hotspots.heatMethod')}</p>
      </div>
    );
  }
  if (layer === 'unresolved') {
    const cases = unresolved.data?.cases.features ?? [];
    const overdue = cases.filter((f) => f.properties.overdue).length;
    return (
      <div className="hot-legend" data-testid="hot-legend">
        <ul>
          {(Object.keys(AGE_COLORS) as (keyof typeof AGE_COLORS)[]).map((k) => (
            <li key={k}>
              <Swatch color={AGE_COLORS[k]} round />
              {t(`hotspots.age.${k}`)}
            </li>
          ))}
        </ul>
        <ul className="hot-legend__sizes">
          {(Object.keys(RISK_RADIUS) as (keyof typeof RISK_RADIUS)[]).map((r) => (
            <li key={r}>
              <Swatch color="#64748b" round size={RISK_RADIUS[r] * 2} />
              {t(`riskLevel.${r}`)}
            </li>
          ))}
        </ul>
        {unresolved.data ? (
          <p className="hot-note" data-testid="hot-unresolved-summary">
            {t('hotspots.unresolvedSummary', {
              open: formatCount(cases.length, locale),
              overdue: formatCount(overdue, locale),
            })}
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <div className="hot-legend" data-testid="hot-legend">
      <div className="hot-ramp" style={{ background: `linear-gradient(90deg, ${CHOROPLETH_RAMP.join(', ')})` }} />
      <div className="hot-ramp__labels">
        <span>{t('hotspots.low')}</span>
        <span>{t('hotspots.high')}</span>
      </div>
      <p className="hot-note">{t('hotspots.choroplethNote')}</p>
    </div>
  );
}
