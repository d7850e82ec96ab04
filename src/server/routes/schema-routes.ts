import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { parse } from 'yaml';
import { z } from 'zod';
import { flowJsonSchema, pluginJsonSchema } from '../../flow/flow-json-schema.ts';
import type { ApiDocs } from '../api-docs.ts';
import { flowGraph } from '../flow-graph.ts';
import { parseFlowSource } from '../flow-source.ts';
import { notFound } from '../http-error.ts';
import { API_ROOT, type ServerDeps } from '../server-deps.ts';

/** Plugin and flow JSON Schemas, the plugin list, blueprints and namespaces: what the editor needs. */
export function registerSchemaRoutes(app: Hono, deps: ServerDeps, docs: ApiDocs): void {
  const { registry } = deps;
  let cached: Record<string, unknown> | undefined;
  const schema = () => {
    cached ??= flowJsonSchema(registry);
    return cached;
  };

  docs.add(
    { method: 'get', path: `${API_ROOT}/plugins/schemas/flow`, summary: 'Flow JSON Schema', tag: 'Plugins' },
    { method: 'get', path: `${API_ROOT}/schemas/flow.json`, summary: 'Flow JSON Schema', tag: 'Plugins' },
    { method: 'get', path: `${API_ROOT}/plugins`, summary: 'Every plugin type', tag: 'Plugins' },
    { method: 'get', path: `${API_ROOT}/plugins/{type}`, summary: 'JSON Schema of one plugin', tag: 'Plugins' },
    { method: 'get', path: `${API_ROOT}/blueprints`, summary: 'Example flows with topology', tag: 'Blueprints' },
    { method: 'get', path: `${API_ROOT}/namespaces`, summary: 'Namespaces with flows or KV', tag: 'Namespaces' },
  );
  app.get(`${API_ROOT}/plugins/schemas/flow`, (c) => c.json(schema()));
  app.get(`${API_ROOT}/schemas/flow.json`, (c) => c.json(schema()));
  app.get(`${API_ROOT}/plugins`, (c) =>
    c.json(
      registry.list().map((d) => ({
        type: d.type,
        aliases: d.aliases ?? [],
        category: d.category,
        title: d.title,
        description: d.description,
      })),
    ),
  );
  app.get(`${API_ROOT}/plugins/:type`, (c) => {
    const type = c.req.param('type');
    const definition = registry.get(type);
    const schema = pluginJsonSchema(registry, type);
    if (!definition || !schema) throw notFound(`plugin type '${type}'`);
    // `?compact=true` leaves out the shared $defs (every plugin's): the editor only reads this plugin's own level.
    const { $defs, ...own } = schema;
    const body: Record<string, unknown> = c.req.query('compact') === 'true' ? own : schema;
    if (definition.outputs) body.outputs = z.toJSONSchema(definition.outputs, { io: 'output', unrepresentable: 'any' });
    return c.json(body);
  });

  app.get(`${API_ROOT}/blueprints`, async (c) => {
    const dir = deps.examplesDir;
    if (!dir) return c.json([]);
    const names = (await readdir(dir).catch(() => [])).filter((n) => /\.ya?ml$/.test(n)).sort();
    const out: Record<string, unknown>[] = [];
    for (const name of names) {
      const source = await readFile(join(dir, name), 'utf8');
      const parsed = parseFlowSource(source, registry);
      if (parsed.ok) {
        const spec = parsed.flows[0]?.spec;
        if (!spec) continue;
        const description = spec.description ?? '';
        out.push({
          file: name,
          id: spec.id,
          namespace: spec.namespace,
          description,
          source,
          graph: flowGraph(spec, registry),
        });
        continue;
      }
      // Examples that use what this build lacks (a trigger not implemented yet) are still shown, with why.
      const raw = rawFlow(source);
      out.push({
        file: name,
        id: raw.id ?? name,
        namespace: raw.namespace ?? '',
        description: raw.description ?? '',
        source,
        violations: parsed.violations,
      });
    }
    return c.json(out);
  });

  app.get(`${API_ROOT}/namespaces`, async (c) => {
    const flows = await deps.repository.flows.search({ page: 1, size: 10_000 });
    const names = new Set([...flows.results.map((f) => f.namespace), ...(await deps.repository.kv.namespaces())]);
    return c.json([...names].sort());
  });
}

function rawFlow(source: string): { id?: string; namespace?: string; description?: string } {
  try {
    const value = parse(source) as Record<string, unknown> | null;
    const text = (key: string) => (typeof value?.[key] === 'string' ? (value[key] as string) : undefined);
    const out: { id?: string; namespace?: string; description?: string } = {};
    for (const key of ['id', 'namespace', 'description'] as const) {
      const v = text(key);
      if (v !== undefined) out[key] = v;
    }
    return out;
  } catch {
    return {};
  }
}
