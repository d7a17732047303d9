import { useCallback, useSyncExternalStore } from 'react';
import { readParam, withParam } from '../../lib/url';
import { navigate, subscribeToUrl } from './url-store';

/**
 * One query parameter as React state. The URL is the store, as for the selected town: a reload or a shared
 * link restores the view. `replace` keeps rapid changes (sliders, typing) out of the back-button history.
 */
export function useUrlParam(name: string): [string | null, (value: string | null, replace?: boolean) => void] {
  const value = useSyncExternalStore(
    subscribeToUrl,
    () => readParam(window.location.search, name),
    () => null,
  );
  const set = useCallback(
    (next: string | null, replace = false) => {
      if (next === readParam(window.location.search, name)) return;
      navigate(withParam(window.location.search, name, next), replace);
    },
    [name],
  );
  return [value, set];
}
