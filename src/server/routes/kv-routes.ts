import type { Hono } from 'hono';
import { z } from 'zod';
import type { KvEntry, KvType } from '../../model/flow-record.ts';
import { parseDuration } from '../../plugin/dynamic.ts';
import { type ApiDocs, parseQuery } from '../api-docs.ts';
import { HttpError, notFound } from '../http-error.ts';
import { API_ROOT, type ServerDeps } from '../server-deps.ts';

const KV_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'] as const;
const KEY_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
const putQuery = z.object({
  type: z.enum(KV_TYPES).optional().describe('value type; inferred from the JSON value when absent'),
  ttl: z.string().optional().describe('ISO-8601 duration, e.g. PT1H (also accepted as a `ttl` header)'),
  description: z.string().max(1000).optional(),
});

/** Namespace key-value store: list, get, put (typed, with TTL), delete. */
export function registerKvRoutes(app: Hono, deps: ServerDeps, docs: ApiDocs): void {
  const { repository } = deps;
  const base = `${API_ROOT}/namespaces/:namespace/kv`;
  const docBase = `${API_ROOT}/namespaces/{namespace}/kv`;
  const checkKey = (key: string) => {
    if (!KEY_PATTERN.test(key) || key.length > 255) {
      throw new HttpError(400, `invalid KV key '${key.slice(0, 100)}': keys match ${KEY_PATTERN.source}`);
    }
  };

  docs.add({ method: 'get', path: docBase, summary: 'List the keys of a namespace', tag: 'KV' });
  app.get(base, async (c) => c.json((await repository.kv.list(c.req.param('namespace'))).map(kvSummary)));

  docs.add({ method: 'get', path: `${docBase}/{key}`, summary: 'Get a typed value', tag: 'KV' });
  app.get(`${base}/:key`, async (c) => {
    const { namespace, key } = c.req.param();
    checkKey(key);
    const entry = await repository.kv.get(namespace, key);
    if (!entry) throw notFound(`KV key '${key}' in namespace ${namespace}`);
    return c.json({ type: entry.type, value: entry.value, ...kvSummary(entry) });
  });

  docs.add({
    method: 'put',
    path: `${docBase}/{key}`,
    summary: 'Set a value (body = JSON value; plain text is a string)',
    tag: 'KV',
    query: putQuery,
    body: { contentType: 'application/json' },
  });
  app.put(`${base}/:key`, async (c) => {
    const { namespace, key } = c.req.param();
    checkKey(key);
    const q = parseQuery(c, putQuery);
    const text = await c.req.text();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    const type = q.type ?? inferType(value);
    const ttl = q.ttl ?? c.req.header('ttl');
    let ttlMs: number | undefined;
    if (ttl) {
      try {
        ttlMs = parseDuration(ttl);
      } catch {
        throw new HttpError(400, `invalid ttl '${ttl.slice(0, 50)}': use an ISO-8601 duration such as PT1H or P7D`);
      }
    }
    const entry = await repository.kv.set({
      namespace,
      key,
      type,
      value: coerce(value, type),
      ...(q.description ? { description: q.description } : {}),
      ...(ttlMs !== undefined ? { ttlMs } : {}),
      overwrite: true,
    });
    return c.json({ type: entry.type, value: entry.value, ...kvSummary(entry) });
  });

  docs.add({ method: 'delete', path: `${docBase}/{key}`, summary: 'Delete a key', tag: 'KV' });
  app.delete(`${base}/:key`, async (c) => {
    const { namespace, key } = c.req.param();
    checkKey(key);
    if (!(await repository.kv.delete(namespace, key))) throw notFound(`KV key '${key}' in namespace ${namespace}`);
    return c.body(null, 204);
  });
}

function kvSummary(entry: KvEntry): Record<string, unknown> {
  return {
    key: entry.key,
    type: entry.type,
    ...(entry.description ? { description: entry.description } : {}),
    ...(entry.expirationDate ? { expirationDate: entry.expirationDate } : {}),
    creationDate: entry.creationDate,
    updateDate: entry.updateDate,
  };
}

function inferType(value: unknown): KvType {
  if (typeof value === 'number') return 'NUMBER';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value !== 'string') return 'JSON';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return 'DATETIME';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'DATE';
  if (/^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(value)) return 'DURATION';
  return 'STRING';
}

/** Checks an explicit `?type=` against the value, so a NUMBER key never holds "abc". */
function coerce(value: unknown, type: KvType): unknown {
  const fail = () => {
    throw new HttpError(400, `the value does not fit type ${type}`, [{ path: 'value', message: `expected ${type}` }]);
  };
  switch (type) {
    case 'NUMBER': {
      const n = typeof value === 'string' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) fail();
      return n;
    }
    case 'BOOLEAN':
      if (value === 'true' || value === 'false') return value === 'true';
      if (typeof value !== 'boolean') fail();
      return value;
    case 'STRING':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'DATETIME':
    case 'DATE':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) fail();
      return value;
    case 'DURATION':
      if (typeof value !== 'string') fail();
      try {
        parseDuration(value as string);
      } catch {
        fail();
      }
      return value;
    default:
      return value;
  }
}
