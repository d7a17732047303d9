import { useCallback, useSyncExternalStore } from 'react';
import { readParam, withParam } from '../../lib/url';

const EVENT = 'url-param-change';

const subscribe = (onChange: () => void) => {
  window.addEventListener('popstate', onChange);
  window.addEventListener(EVENT, onChange);
  window.addEventListener('selected-town-change', onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(EVENT, onChange);
    window.removeEventListener('selected-town-change', onChange);
  };
};

/**
 * One query parameter as React state. The URL is the store, as for the selected town: a reload or a shared
 * link restores the view. `replace` keeps rapid changes (sliders, typing) out of the back-button history.
 */
export function useUrlParam(name: string): [string | null, (value: string | null, replace?: boolean) => void] {
  const value = useSyncExternalStore(
    subscribe,
    () => readParam(window.location.search, name),
    () => null,
  );
  const set = useCallback(
    (next: string | null, replace = false) => {
      if (next === readParam(window.location.search, name)) return;
      const url = `${window.location.pathname}${withParam(window.location.search, name, next)}${window.location.hash}`;
      if (replace) window.history.replaceState(window.history.state, '', url);
      else window.history.pushState(window.history.state, '', url);
      window.dispatchEvent(new Event(EVENT));
    },
    [name],
  );
  return [value, set];
}
