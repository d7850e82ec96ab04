import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';

/** Where `npm run build:ui` writes the single-page app. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../ui/web/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** Serves the built UI; any other non-API GET gets index.html so client-side routes survive a reload. */
export function registerStaticUi(app: Hono, uiDir = DEFAULT_UI_DIR): void {
  const root = resolve(uiDir);
  app.get('*', async (c) => {
    if (c.req.path.startsWith('/api')) return c.json({ status: 404, message: `no endpoint ${c.req.path}` }, 404);
    const wanted = resolve(join(root, decodeURIComponent(c.req.path)));
    const inside = wanted.startsWith(root + sep);
    const file = inside && (await stat(wanted).catch(() => undefined))?.isFile() ? wanted : join(root, 'index.html');
    const body = await readFile(file).catch(() => undefined);
    if (!body) {
      return c.text('The web UI is not built: run `npm run build:ui`, then reload.', 503);
    }
    const immutable = file.includes(`${sep}assets${sep}`);
    return c.body(body, 200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  });
}
