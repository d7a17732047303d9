/** Lets other requests (map tiles, API calls) run between slices of a long parse: the event loop never stalls. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
