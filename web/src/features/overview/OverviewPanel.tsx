import { KpiPanel } from '../kpis/KpiPanel';
import { RiskBreakdown } from '../risk/RiskBreakdown';
import { TownTable } from '../towns/TownTable';
import type { ViewProps } from '../views/types';

/** The county at a glance: the article's KPIs, open cases by risk level, and the towns side by side. */
export function OverviewPanel({ town, onSelectTown }: ViewProps) {
  return (
    <>
      <KpiPanel town={town} />
      <RiskBreakdown town={town} />
      <TownTable selected={town} onSelect={onSelectTown} />
    </>
  );
}
