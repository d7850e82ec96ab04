import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';

/** Keeps proxies and browsers from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * Runs a server-sent-event stream until `follow` calls `end` or the client goes away.
 * Writes are serialized; a client that disconnects mid-write ends the stream quietly.
 */
export function sseStream(
  c: Context,
  follow: (send: (event: string, data: unknown) => void, end: () => void) => Promise<() => void>,
): Response {
  return streamSSE(
    c,
    async (stream: SSEStreamingApi) => {
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => {
        finish = resolve;
      });
      let chain = Promise.resolve();
      let sequence = 0;
      const send = (event: string, data: unknown) => {
        chain = chain
          .then(() => stream.writeSSE({ event, data: JSON.stringify(data), id: String(++sequence) }))
          .catch(() => finish());
      };
      const end = () => {
        chain = chain.then(() => finish());
      };
      stream.onAbort(() => finish());
      const heartbeat = setInterval(() => {
        chain = chain.then(() => stream.write(': keep-alive\n\n').then(() => undefined)).catch(() => finish());
      }, HEARTBEAT_MS);
      const stop = await follow(send, end);
      try {
        await finished;
      } finally {
        clearInterval(heartbeat);
        stop();
      }
    },
    async () => {
      // A broken pipe is the client leaving; nothing to report.
    },
  );
}
