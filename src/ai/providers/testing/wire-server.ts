import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResourceCache } from '../../../engine/shared-resources.ts';
import type { TaskLogger } from '../../../plugin/run-context.ts';
import type { ProviderContext } from '../provider-plugin.ts';

/** A request as the fake provider server received it. */
export interface RecordedRequest {
  method: string;
  /** Path with query string. */
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** What the fake server answers: JSON (object) or raw text; `hang` never answers. */
export interface WireReply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  hang?: boolean;
  /** Destroys the connection without an answer (a connection reset). */
  reset?: boolean;
}

/**
 * A real HTTP server on 127.0.0.1 that speaks a provider's wire format in tests: `reply` sees
 * every request (and how many came before) and says what to answer.
 */
export async function startWireServer(reply: (request: RecordedRequest, index: number) => WireReply) {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {}
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      const answer = reply(recorded, requests.length - 1);
      if (answer.hang) return;
      if (answer.reset) {
        req.socket.destroy();
        return;
      }
      const payload = answer.text ?? JSON.stringify(answer.json ?? {});
      res.writeHead(answer.status ?? 200, {
        'content-type': answer.text !== undefined ? 'application/json' : 'application/json',
        ...answer.headers,
      });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const quiet: TaskLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** A provider context for tests, with its own shared resources. */
export function testProviderContext(dataDir = '/nonexistent'): ProviderContext {
  return { dataDir, logger: quiet, resources: new ResourceCache(), signal: new AbortController().signal };
}

/** Retry settings that keep tests fast while still exercising every branch. */
export const FAST_RETRY = { initialDelayMs: 1, maxDelayMs: 20, maxAttempts: 3 };
