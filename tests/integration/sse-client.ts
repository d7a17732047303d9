/**
 * A real streaming client for `text/event-stream` (what the browser's EventSource does, on fetch): connects with a
 * cookie and an optional Last-Event-ID, and collects frames (`id:` + `data:`) and comment lines as they arrive.
 */
export interface SseFrame {
  id: string | null;
  event: string | null;
  data: string;
}

export interface SseClient {
  status: number;
  contentType: string | null;
  frames: SseFrame[];
  comments: string[];
  /** Resolves once `n` frames have arrived (rejects after `ms`). */
  waitFrames(n: number, ms?: number): Promise<SseFrame[]>;
  waitComment(pattern: RegExp, ms?: number): Promise<string>;
  close(): void;
}

export async function openSse(url: string, cookie: string, lastEventId?: string): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { cookie, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: abort.signal,
  });
  const frames: SseFrame[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  let buffer = '';
  const pump = async () => {
    const reader = res.body?.getReader();
    if (!reader) return;
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const frame: SseFrame = { id: null, event: null, data: '' };
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) frame.id = line.slice(4);
            else if (line.startsWith('event: ')) frame.event = line.slice(7);
            else if (line.startsWith('data: ')) {
              frame.data += line.slice(6);
              hasData = true;
            }
          }
          if (hasData) frames.push(frame);
          wake();
          cut = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  };
  void pump();
  const wait = <T>(ready: () => T | undefined, ms: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const v = ready();
        if (v !== undefined) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(frames)}`));
      }, ms);
      waiters.add(check);
      check();
    });
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    frames,
    comments,
    waitFrames: (n, ms = 10_000) =>
      wait(() => (frames.length >= n ? frames.slice(0, n) : undefined), ms, `${n} frames`),
    waitComment: (pattern, ms = 10_000) => wait(() => comments.find((c) => pattern.test(c)), ms, `comment ${pattern}`),
    close: () => abort.abort(),
  };
}
