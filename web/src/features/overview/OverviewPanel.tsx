import { KpiPanel } from '../kpis/KpiPanel';
import { RiskBreakdown } from '../risk/RiskBreakdown';
import { TownTable } from '../towns/TownTable';
import type { ViewProps } from '../views/types';
import { WarningsPanel } from '../warnings/WarningsPanel';

/** The county at a glance: the article's KPIs, today's warnings, open cases by risk level, the towns side by side. */
export function OverviewPanel({ town, onSelectTown }: ViewProps) {
  return (
    <>
      <KpiPanel town={town} />
      <WarningsPanel town={town} />
      <RiskBreakdown town={town} />
      <TownTable selected={town} onSelect={onSelectTown} />
    </>
  );
}
