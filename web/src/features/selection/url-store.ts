/**
 * The URL as the page's store for view state (town, view, filters…): a reload, a shared link and the back
 * button keep it. Writers go through `navigate`, which tells every subscribed hook; the back button arrives as
 * `popstate`.
 */
const listeners = new Set<() => void>();

export function subscribeToUrl(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener('popstate', onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener('popstate', onChange);
  };
}

/** Moves to `search` (with the current path and hash); `replace` keeps rapid changes out of the history. */
export function navigate(search: string, replace = false): void {
  const url = `${window.location.pathname}${search}${window.location.hash}`;
  if (replace) window.history.replaceState(window.history.state, '', url);
  else window.history.pushState(window.history.state, '', url);
  for (const listener of [...listeners]) listener();
}
