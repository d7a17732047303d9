import { asChoroplethKpi, asHotLayer } from '../../lib/hotspots';
import { useUrlParam } from '../selection/useUrlParam';

/** The view's own URL state: which layer, which KPI the choropleth shows. */
export function useHotspotState() {
  const [layerParam, setLayer] = useUrlParam('layer');
  const [kpiParam, setKpi] = useUrlParam('kpi');
  return { layer: asHotLayer(layerParam), setLayer, kpi: asChoroplethKpi(kpiParam), setKpi };
}
