import type { Context } from 'hono';
import { z } from 'zod';

/** How one endpoint is called: the same zod schemas validate requests and produce the OpenAPI document. */
export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI-style path below the API root, e.g. `/api/v1/main/flows/{namespace}/{id}`. */
  path: string;
  summary: string;
  tag: string;
  query?: z.ZodObject;
  /** Request body: its media type and, when it is JSON, its schema. */
  body?: { contentType: string; schema?: z.ZodType };
  /** Success status (200 unless told). */
  status?: number;
}

/** Collects the endpoints as they are registered and renders them as OpenAPI 3.1. */
export class ApiDocs {
  readonly routes: RouteDoc[] = [];

  add(...docs: RouteDoc[]): void {
    this.routes.push(...docs);
  }

  openApi(): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.routes) {
      const parameters: Record<string, unknown>[] = [];
      for (const match of route.path.matchAll(/\{(\w+)\}/g)) {
        parameters.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } });
      }
      if (route.query) {
        const schema = z.toJSONSchema(route.query, { io: 'input', unrepresentable: 'any' }) as {
          properties?: Record<string, unknown>;
          required?: string[];
        };
        for (const [name, property] of Object.entries(schema.properties ?? {})) {
          parameters.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property });
        }
      }
      const operation: Record<string, unknown> = {
        summary: route.summary,
        tags: [route.tag],
        parameters,
        responses: {
          [String(route.status ?? 200)]: { description: 'success' },
          default: { description: 'error', content: { 'application/json': { schema: errorSchema } } },
        },
      };
      if (route.body) {
        const schema = route.body.schema
          ? z.toJSONSchema(route.body.schema, { io: 'input', unrepresentable: 'any' })
          : { type: 'string' };
        operation.requestBody = { content: { [route.body.contentType]: { schema } } };
      }
      paths[route.path] ??= {};
      (paths[route.path] as Record<string, unknown>)[route.method] = operation;
    }
    return {
      openapi: '3.1.0',
      info: { title: 'Windhover API', version: '1', description: 'Kestra-compatible REST API (tenant `main`).' },
      components: { securitySchemes: { basicAuth: { type: 'http', scheme: 'basic' } } },
      security: [{ basicAuth: [] }],
      paths,
    };
  }
}

const errorSchema = {
  type: 'object',
  required: ['status', 'message'],
  properties: {
    status: { type: 'integer' },
    message: { type: 'string' },
    violations: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          path: { type: 'string' },
          message: { type: 'string' },
          line: { type: 'integer' },
          column: { type: 'integer' },
        },
      },
    },
  },
};

/** Validates the query string against a schema; repeated parameters become arrays where the schema wants one. */
export function parseQuery<T extends z.ZodObject>(c: Context, schema: T): z.output<T> {
  const raw: Record<string, unknown> = {};
  const all = c.req.queries();
  for (const [key, values] of Object.entries(all)) {
    const field = schema.shape[key];
    raw[key] = field && isArraySchema(field) ? values.flatMap((v) => v.split(',')) : values[0];
  }
  return schema.parse(raw);
}

function isArraySchema(schema: unknown): boolean {
  let current = schema as { def?: { type?: string; innerType?: unknown } } | undefined;
  while (current?.def && (current.def.type === 'optional' || current.def.type === 'default')) {
    current = current.def.innerType as typeof current;
  }
  return current?.def?.type === 'array';
}

/** Paging parameters shared by every search endpoint. */
export const pageQuery = {
  page: z.coerce.number().int().min(1).default(1).describe('1-based page number'),
  size: z.coerce.number().int().min(1).max(1000).default(25).describe('results per page'),
};
