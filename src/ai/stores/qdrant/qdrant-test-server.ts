import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small HTTP server speaking the subset of Qdrant's REST wire format that the official
 * client uses for our store (collections, upsert, delete by filter, search, scroll, count),
 * with Qdrant's filter semantics (must/should/must_not, match value/any, is_null). No Qdrant
 * server can run here; this keeps the real client and our requests honest.
 */
export interface QdrantTestServer {
  url: string;
  host: string;
  port: number;
  /** Every request seen, as "METHOD path". */
  requests: string[];
  stop(): Promise<void>;
}

interface Point {
  id: string | number;
  vector: number[];
  payload: Record<string, unknown>;
}

interface Collection {
  size: number;
  distance: string;
  points: Map<string, Point>;
}

type Condition = Record<string, unknown>;

export async function startQdrantTestServer(options: { apiKey?: string } = {}): Promise<QdrantTestServer> {
  const collections = new Map<string, Collection>();
  const requests: string[] = [];
  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) =>
      send(response, 500, { status: { error: error instanceof Error ? error.message : String(error) } }),
    );
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push(`${request.method} ${url.pathname}`);
    if (options.apiKey && request.headers['api-key'] !== options.apiKey) {
      send(response, 401, { status: { error: 'Must provide an API key or an Authorization bearer token' } });
      return;
    }
    const body = await readJson(request);
    const match = /^\/collections\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!match) return send(response, 404, { status: { error: `Not found: ${url.pathname}` } });
    const name = decodeURIComponent(match[1]!);
    const rest = match[2] ?? '';
    const collection = collections.get(name);
    const method = request.method ?? 'GET';
    if (rest === '/exists' && method === 'GET') return ok(response, { exists: collection !== undefined });
    if (rest === '' && method === 'PUT') {
      if (collection) return send(response, 409, { status: { error: `Collection \`${name}\` already exists!` } });
      const vectors = body.vectors as { size: number; distance: string };
      collections.set(name, { size: vectors.size, distance: vectors.distance, points: new Map() });
      return ok(response, true);
    }
    if (rest === '' && method === 'DELETE') return ok(response, collections.delete(name));
    if (!collection) {
      return send(response, 404, { status: { error: `Not found: Collection \`${name}\` doesn't exist!` } });
    }
    if (rest === '' && method === 'GET') {
      return ok(response, {
        status: 'green',
        points_count: collection.points.size,
        config: { params: { vectors: { size: collection.size, distance: collection.distance } } },
      });
    }
    if (rest === '/points' && method === 'PUT') {
      for (const point of body.points as Point[]) {
        if (point.vector.length !== collection.size) {
          return send(response, 400, {
            status: {
              error: `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${point.vector.length}`,
            },
          });
        }
      }
      for (const point of body.points as Point[]) collection.points.set(String(point.id), point);
      return ok(response, { operation_id: requests.length, status: 'completed' });
    }
    if (rest === '/points/delete' && method === 'POST') {
      const filter = body.filter as Condition | undefined;
      for (const [id, point] of collection.points) {
        if (filter ? matches(point, filter) : (body.points as unknown[]).map(String).includes(id)) {
          collection.points.delete(id);
        }
      }
      return ok(response, { operation_id: requests.length, status: 'completed' });
    }
    if (rest === '/points/search' && method === 'POST') {
      const vector = body.vector as number[];
      const threshold = body.score_threshold as number | undefined;
      const filter = body.filter as Condition | undefined;
      const hits = [...collection.points.values()]
        .filter((point) => !filter || matches(point, filter))
        .map((point) => ({ id: point.id, version: 0, score: cosine(vector, point.vector), payload: point.payload }))
        .filter((hit) => threshold === undefined || hit.score >= threshold)
        .sort((a, b) => b.score - a.score)
        .slice(0, Number(body.limit ?? 10));
      return ok(response, hits);
    }
    if (rest === '/points/scroll' && method === 'POST') {
      const all = [...collection.points.values()]
        .filter((point) => !body.filter || matches(point, body.filter as Condition))
        .sort((a, b) => String(a.id).localeCompare(String(b.id)));
      const start = body.offset === undefined ? 0 : all.findIndex((point) => String(point.id) === String(body.offset));
      const limit = Number(body.limit ?? 10);
      const page = all.slice(start, start + limit);
      return ok(response, {
        points: page.map((point) => ({ id: point.id, payload: point.payload })),
        next_page_offset: all[start + limit]?.id ?? null,
      });
    }
    if (rest === '/points/count' && method === 'POST') {
      const filter = body.filter as Condition | undefined;
      return ok(response, {
        count: [...collection.points.values()].filter((p) => !filter || matches(p, filter)).length,
      });
    }
    send(response, 404, { status: { error: `Not found: ${method} ${url.pathname}` } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function ok(response: ServerResponse, result: unknown): void {
  send(response, 200, { result, status: 'ok', time: 0.0001 });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function valueAt(payload: Record<string, unknown>, key: string): unknown {
  let current: unknown = payload;
  for (const part of key.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function matches(point: Point, filter: Condition): boolean {
  const must = (filter.must as Condition[] | undefined) ?? [];
  const should = (filter.should as Condition[] | undefined) ?? [];
  const mustNot = (filter.must_not as Condition[] | undefined) ?? [];
  return (
    must.every((condition) => test(point, condition)) &&
    (should.length === 0 || should.some((condition) => test(point, condition))) &&
    !mustNot.some((condition) => test(point, condition))
  );
}

function test(point: Point, condition: Condition): boolean {
  if ('must' in condition || 'should' in condition || 'must_not' in condition) return matches(point, condition);
  if ('has_id' in condition) return (condition.has_id as unknown[]).map(String).includes(String(point.id));
  if ('is_null' in condition) return valueAt(point.payload, (condition.is_null as { key: string }).key) === null;
  const value = valueAt(point.payload, condition.key as string);
  if ('range' in condition) {
    const range = condition.range as { lt?: number; gt?: number; lte?: number; gte?: number };
    if (typeof value !== 'number') return false;
    return (
      (range.lt === undefined || value < range.lt) &&
      (range.gt === undefined || value > range.gt) &&
      (range.lte === undefined || value <= range.lte) &&
      (range.gte === undefined || value >= range.gte)
    );
  }
  const match = condition.match as { value?: unknown; any?: unknown[] };
  // Qdrant compares keywords, integers and booleans by type: "2020" does not match 2020.
  if ('value' in match) return value === match.value;
  if ('any' in match) return (match.any ?? []).includes(value);
  throw new Error(`unsupported condition ${JSON.stringify(condition)}`);
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let sumA = 0;
  let sumB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    sumA += a[i]! * a[i]!;
    sumB += b[i]! * b[i]!;
  }
  return sumA === 0 || sumB === 0 ? 0 : dot / Math.sqrt(sumA * sumB);
}
