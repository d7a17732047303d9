/** Lets other requests (map tiles, API calls) run between slices of a long parse: the event loop never stalls. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * For a loop over many rows: `await turn()` before each row gives other requests a turn of the event loop once
 * `budgetMs` of work has passed since the last one, whatever one row costs (a row validated, a point located).
 * A count of rows between turns stalls a light read as long as those rows take on a loaded machine.
 */
export function turnsEvery(budgetMs = 10): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < budgetMs) return undefined;
    return yieldToEventLoop().then(() => {
      since = performance.now();
    });
  };
}
