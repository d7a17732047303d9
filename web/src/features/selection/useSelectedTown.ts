import { useCallback, useSyncExternalStore } from 'react';
import { readTown, withTown } from '../../lib/url';

// The URL is the store: a reload, a shared link and the back button all keep the selection.
const subscribe = (onChange: () => void) => {
  window.addEventListener('popstate', onChange);
  window.addEventListener('selected-town-change', onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener('selected-town-change', onChange);
  };
};
const snapshot = () => readTown(window.location.search);

export function useSelectedTown(): [string | null, (town: string | null) => void] {
  const town = useSyncExternalStore(subscribe, snapshot, () => null);
  const select = useCallback((next: string | null) => {
    if (next === readTown(window.location.search)) return;
    const url = `${window.location.pathname}${withTown(window.location.search, next)}${window.location.hash}`;
    window.history.pushState(window.history.state, '', url);
    window.dispatchEvent(new Event('selected-town-change'));
  }, []);
  return [town, select];
}
