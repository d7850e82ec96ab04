import { serve } from '@hono/node-server';
import { usersFromEnv } from './basic-auth.ts';
import { createApp } from './create-app.ts';
import type { ServerDeps } from './server-deps.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Serves the API and UI. Credentials come from `deps.auth` or `WINDHOVER_BASIC_AUTH`; binding
 * to anything but loopback without credentials is refused, since the API can run code.
 */
export async function startServer(
  deps: ServerDeps & { host: string; port: number },
): Promise<{ url: string; close(): Promise<void> }> {
  const auth = deps.auth && deps.auth.length > 0 ? deps.auth : usersFromEnv();
  if (!LOOPBACK.has(deps.host) && auth.length === 0) {
    throw new Error(
      `refusing to listen on ${deps.host} without credentials: anyone who reaches it could run flows. ` +
        'Set WINDHOVER_BASIC_AUTH=user:password (or the server auth option), or bind to 127.0.0.1.',
    );
  }
  const app = createApp({ ...deps, auth });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: deps.host, port: deps.port }, (info) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close((error) => (error ? fail(error) : done()));
          }),
      });
    });
    server.once('error', reject);
  });
}
