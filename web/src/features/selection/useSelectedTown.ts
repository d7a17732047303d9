import { useCallback, useSyncExternalStore } from 'react';
import { readTown, withTown } from '../../lib/url';
import { navigate, subscribeToUrl } from './url-store';

const snapshot = () => readTown(window.location.search);

/** The selected town, kept in the URL. */
export function useSelectedTown(): [string | null, (town: string | null) => void] {
  const town = useSyncExternalStore(subscribeToUrl, snapshot, () => null);
  const select = useCallback((next: string | null) => {
    if (next === readTown(window.location.search)) return;
    navigate(withTown(window.location.search, next));
  }, []);
  return [town, select];
}
