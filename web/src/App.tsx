import { AdminPage } from './features/admin/AdminPage';
import { BriefingButton } from './features/assessment/BriefingButton';
import { useMe } from './features/auth/useMe';
import { FilterBar } from './features/filters/FilterBar';
import { Breadcrumb } from './features/header/Breadcrumb';
import { DemoNotice } from './features/header/DemoNotice';
import { Header } from './features/header/Header';
import { Legend } from './features/legend/Legend';
import { useSelectedTown } from './features/selection/useSelectedTown';
import { useUrlParam } from './features/selection/useUrlParam';
import { findView, VIEWS } from './features/views/registry';
import { ViewTabs } from './features/views/ViewTabs';
import { MapView } from './map/MapView';
import { MapProvider } from './map/map-context';

export function App() {
  return window.location.pathname.startsWith('/admin') ? <AdminPage /> : <Dashboard />;
}

function Dashboard() {
  const me = useMe();
  const [urlTown, selectUrlTown] = useSelectedTown();
  // A town officer or station staff member sees their own town; the server limits every answer to it anyway.
  const fixedTown = me?.towns?.length === 1 ? (me.towns[0] ?? null) : null;
  const town = fixedTown ?? urlTown;
  const selectTown = fixedTown
    ? (next: string | null) => selectUrlTown(next && next !== fixedTown ? fixedTown : next)
    : selectUrlTown;
  const [viewId, setViewId] = useUrlParam('view');
  const view = findView(viewId, me?.role ?? null);
  const { Panel, Overlays } = view;
  return (
    <MapProvider>
      <div className="app">
        <Header />
        <DemoNotice />
        <main className="layout">
          <section className="map-pane">
            <MapView town={town} onSelectTown={selectTown}>
              {Overlays ? <Overlays town={town} onSelectTown={selectTown} /> : null}
            </MapView>
            <Legend />
          </section>
          <aside className="side">
            <Breadcrumb town={town} onSelectTown={selectTown} fixed={fixedTown !== null} />
            <FilterBar />
            <BriefingButton />
            <ViewTabs active={view.id} onChange={(id) => setViewId(id === VIEWS[0]?.id ? null : id)} />
            <Panel town={town} onSelectTown={selectTown} />
          </aside>
        </main>
      </div>
    </MapProvider>
  );
}
