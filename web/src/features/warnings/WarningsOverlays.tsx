import { useQuery } from '@tanstack/react-query';
import type { MapGeoJSONFeature } from 'maplibre-gl';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { warningRuleCodes, warningStatuses, warningsLayerQuery } from '../../api/warnings';
import type { OverlaySpec } from '../../map/dashboard-map';
import { MapOverlay } from '../../map/MapOverlay';
import { WARN, warningLayers } from '../../map/warnings-layers';
import type { ViewProps } from '../views/types';
import { dayLabel, useWarningFilters } from './WarningsPanel';

function popup(title: string, rows: string[]): HTMLElement {
  const root = document.createElement('div');
  root.className = 'popup';
  const h = document.createElement('strong');
  h.textContent = title;
  root.append(h);
  for (const r of rows) {
    const p = document.createElement('div');
    p.textContent = r;
    root.append(p);
  }
  return root;
}

/** The warnings layer: the same warnings as the overview's list (scope, filters, rule), one point each. */
export function WarningsOverlays({ town }: ViewProps) {
  const { t, i18n } = useTranslation();
  const filters = useWarningFilters(town);
  const layer = useQuery(warningsLayerQuery(filters));
  const spec = useMemo<OverlaySpec | null>(
    () =>
      layer.data
        ? {
            sources: { [WARN.source]: layer.data },
            layers: warningLayers(),
            popup: {
              layers: [WARN.dot],
              render: (f: MapGeoJSONFeature) => {
                const p = f.properties;
                const rule = warningRuleCodes.find((c) => c === p.rule);
                const status = warningStatuses.find((s) => s === p.status);
                return popup(
                  rule ? t(`warnings.rule.${rule}`) : String(p.rule),
                  [
                    [p.level === 'county' ? t('warnings.county') : null, status ? t(`warnings.status.${status}`) : null]
                      .filter(Boolean)
                      .join(' · '),
                    p.caseNo ? String(p.caseNo) : '',
                    dayLabel(String(p.raisedAt), i18n.language),
                  ].filter(Boolean),
                );
              },
            },
          }
        : null,
    [layer.data, t, i18n.language],
  );
  return <MapOverlay id="warnings" spec={spec} />;
}
