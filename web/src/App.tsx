import { Breadcrumb } from './features/header/Breadcrumb';
import { DemoNotice } from './features/header/DemoNotice';
import { Header } from './features/header/Header';
import { KpiPanel } from './features/kpis/KpiPanel';
import { Legend } from './features/legend/Legend';
import { RiskBreakdown } from './features/risk/RiskBreakdown';
import { useSelectedTown } from './features/selection/useSelectedTown';
import { TownTable } from './features/towns/TownTable';
import { MapView } from './map/MapView';

export function App() {
  const [town, selectTown] = useSelectedTown();
  return (
    <div className="app">
      <Header />
      <DemoNotice />
      <main className="layout">
        <section className="map-pane">
          <MapView town={town} onSelectTown={selectTown} />
          <Legend />
        </section>
        <aside className="side">
          <Breadcrumb town={town} onSelectTown={selectTown} />
          <KpiPanel town={town} />
          <RiskBreakdown town={town} />
          <TownTable selected={town} onSelect={selectTown} />
        </aside>
      </main>
    </div>
  );
}
