import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { type Api } from './api';

/**
 * Follows a Server-Sent Events stream of the API. EventSource cannot send the
 * bearer token, so the stream is read with fetch; it reconnects after a drop,
 * resuming after the last event id as EventSource would. An answer that
 * will not change by asking again (404: not there or not yours, 403, 410)
 * stops it for good and is reported through `onEnd`. Returns a stop function.
 */
const FINAL_STATUSES = new Set([403, 404, 410]);

export function followEvents(api: Api, path: string, onEvent: (event: EventSourceMessage) => void, onState?: (connected: boolean) => void, onEnd?: (status: number) => void): () => void {
  const abort = new AbortController();
  let lastEventId: string | undefined;
  let retryMs = 1000;
  const run = async () => {
    while (!abort.signal.aborted) {
      try {
        const response = await api.fetch(path, { method: 'GET', headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: abort.signal });
        if (FINAL_STATUSES.has(response.status)) {
          onState?.(false);
          onEnd?.(response.status);
          return;
        }
        if (!response.ok || !response.body) throw new Error(`live updates answered ${response.status}`);
        onState?.(true);
        retryMs = 1000;
        const parser = createParser({
          onEvent: (event) => {
            if (event.id) lastEventId = event.id;
            onEvent(event);
          },
          onRetry: (ms) => {
            retryMs = ms;
          },
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(value);
        }
      } catch {
        if (abort.signal.aborted) return;
      }
      onState?.(false);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, 30_000);
    }
  };
  void run();
  return () => abort.abort();
}
