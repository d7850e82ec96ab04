import type { Hono } from 'hono';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { type ApiDocs, pageQuery, parseQuery } from '../api-docs.ts';
import { flowGraph } from '../flow-graph.ts';
import { flowResponse, specOf } from '../flow-response.ts';
import { type ParsedFlow, parseFlowSource } from '../flow-source.ts';
import { HttpError, notFound } from '../http-error.ts';
import { API_ROOT, type ServerDeps } from '../server-deps.ts';

const searchQuery = z.object({
  q: z.string().optional().describe('substring of the namespace or id'),
  namespace: z.string().optional(),
  ...pageQuery,
});
const getQuery = z.object({
  source: z.enum(['true', 'false']).optional(),
  revision: z.coerce.number().int().min(1).optional(),
});

/** Flow CRUD, revisions, validation and topology under `/flows`. */
export function registerFlowRoutes(app: Hono, deps: ServerDeps, docs: ApiDocs): void {
  const { repository, registry } = deps;
  const base = `${API_ROOT}/flows`;
  const yaml = { contentType: 'application/x-yaml' };

  const parseOne = async (c: { req: { text(): Promise<string> } }): Promise<ParsedFlow> => {
    const source = await c.req.text();
    const parsed = parseFlowSource(source, registry);
    if (!parsed.ok) throw new HttpError(422, 'invalid flow', parsed.violations);
    const [flow, extra] = parsed.flows;
    if (!flow || extra) throw new HttpError(422, 'send exactly one flow per request (no `---` separators)');
    return flow;
  };

  docs.add({ method: 'post', path: base, summary: 'Create a flow from YAML', tag: 'Flows', body: yaml });
  app.post(base, async (c) => {
    const flow = await parseOne(c);
    if (await repository.flows.get(flow.spec.namespace, flow.spec.id)) {
      throw new HttpError(409, `flow ${flow.spec.namespace}/${flow.spec.id} already exists; update it with PUT`);
    }
    const record = await repository.flows.save({
      namespace: flow.spec.namespace,
      id: flow.spec.id,
      source: flow.source,
    });
    return c.json(flowResponse(record, registry));
  });

  docs.add({ method: 'post', path: `${base}/validate`, summary: 'Validate flow YAML', tag: 'Flows', body: yaml });
  app.post(`${base}/validate`, async (c) => validate(await c.req.text(), deps).then((result) => c.json(result)));

  docs.add({ method: 'get', path: `${base}/search`, summary: 'Search flows', tag: 'Flows', query: searchQuery });
  app.get(`${base}/search`, async (c) => {
    const { q, namespace, page, size } = parseQuery(c, searchQuery);
    const found = await repository.flows.search({
      ...(q ? { query: q } : {}),
      ...(namespace ? { namespace } : {}),
      page,
      size,
    });
    return c.json({ total: found.total, results: found.results.map((r) => flowResponse(r, registry, false)) });
  });

  docs.add({ method: 'get', path: `${base}/{namespace}`, summary: 'List the flows of a namespace', tag: 'Flows' });
  app.get(`${base}/:namespace`, async (c) => {
    const found = await repository.flows.search({ namespace: c.req.param('namespace'), page: 1, size: 1000 });
    return c.json(found.results.map((r) => flowResponse(r, registry, false)));
  });

  docs.add({ method: 'get', path: `${base}/{namespace}/{id}`, summary: 'Get a flow', tag: 'Flows', query: getQuery });
  app.get(`${base}/:namespace/:id`, async (c) => {
    const { source, revision } = parseQuery(c, getQuery);
    const { namespace, id } = c.req.param();
    const record = await repository.flows.get(namespace, id, revision);
    if (!record) throw notFound(`flow ${namespace}/${id}${revision ? ` revision ${revision}` : ''}`);
    return c.json(flowResponse(record, registry, source !== 'false'));
  });

  docs.add({
    method: 'put',
    path: `${base}/{namespace}/{id}`,
    summary: 'Save a new revision',
    tag: 'Flows',
    body: yaml,
  });
  app.put(`${base}/:namespace/:id`, async (c) => {
    const { namespace, id } = c.req.param();
    const flow = await parseOne(c);
    if (flow.spec.namespace !== namespace || flow.spec.id !== id) {
      throw new HttpError(
        422,
        `the YAML declares ${flow.spec.namespace}/${flow.spec.id} but the path is ${namespace}/${id}`,
        [{ path: 'id', message: 'namespace and id cannot change on update; create a new flow instead' }],
      );
    }
    if (!(await repository.flows.get(namespace, id))) throw notFound(`flow ${namespace}/${id}`);
    const record = await repository.flows.save({ namespace, id, source: flow.source });
    return c.json(flowResponse(record, registry));
  });

  docs.add({ method: 'delete', path: `${base}/{namespace}/{id}`, summary: 'Delete a flow', tag: 'Flows', status: 204 });
  app.delete(`${base}/:namespace/:id`, async (c) => {
    const { namespace, id } = c.req.param();
    if (!(await repository.flows.delete(namespace, id))) throw notFound(`flow ${namespace}/${id}`);
    return c.body(null, 204);
  });

  docs.add({ method: 'get', path: `${base}/{namespace}/{id}/revisions`, summary: 'All revisions', tag: 'Flows' });
  app.get(`${base}/:namespace/:id/revisions`, async (c) => {
    const { namespace, id } = c.req.param();
    const revisions = await repository.flows.revisions(namespace, id);
    if (revisions.length === 0) throw notFound(`flow ${namespace}/${id}`);
    return c.json(revisions.map((r) => flowResponse(r, registry)));
  });

  docs.add({ method: 'get', path: `${base}/{namespace}/{id}/graph`, summary: 'Flow topology', tag: 'Flows' });
  app.get(`${base}/:namespace/:id/graph`, async (c) => {
    const { namespace, id } = c.req.param();
    const revision = c.req.query('revision');
    const record = await repository.flows.get(namespace, id, revision ? Number(revision) : undefined);
    const spec = record && specOf(record, registry);
    if (!spec) throw notFound(`flow ${namespace}/${id}`);
    return c.json(flowGraph(spec, registry));
  });

  docs.add({ method: 'post', path: `${base}/graph`, summary: 'Topology of unsaved YAML', tag: 'Flows', body: yaml });
  app.post(`${base}/graph`, async (c) => {
    const parsed = parseFlowSource(await c.req.text(), registry);
    if (!parsed.ok) throw new HttpError(422, 'invalid flow', parsed.violations);
    const spec = parsed.flows[0]?.spec;
    if (!spec) throw new HttpError(422, 'the source holds no flow');
    return c.json(flowGraph(spec, registry));
  });
}

/** Kestra-like validation result, one entry per YAML document, with every violation's path and line. */
async function validate(source: string, deps: ServerDeps): Promise<Record<string, unknown>[]> {
  const documents = parseAllDocuments(source);
  const list = Array.isArray(documents) ? documents : [documents];
  const results: Record<string, unknown>[] = [];
  for (const [index, document] of list.entries()) {
    const start = index === 0 ? 0 : (document.contents?.range[0] ?? document.range[0]);
    const before = source.slice(0, start).split('\n').length - 1;
    // Blank lines in front keep the reported line numbers those of the whole source.
    const text = '\n'.repeat(before) + source.slice(start, document.range[2]);
    const parsed = parseFlowSource(text, deps.registry);
    const value = safeValue(document);
    const entry: Record<string, unknown> = { index };
    if (typeof value?.id === 'string') entry.flow = value.id;
    if (typeof value?.namespace === 'string') entry.namespace = value.namespace;
    if (!parsed.ok) {
      entry.violations = parsed.violations;
      entry.constraints = parsed.violations.map((v) => `${v.path ? `${v.path}: ` : ''}${v.message}`).join('\n');
    } else {
      entry.violations = [];
      const spec = parsed.flows[0]?.spec;
      if (spec) {
        const stored = await deps.repository.flows.get(spec.namespace, spec.id);
        entry.outdated = false;
        entry.exists = stored !== undefined;
      }
    }
    results.push(entry);
  }
  return results;
}

function safeValue(document: { toJS(options: { maxAliasCount: number }): unknown }): {
  id?: unknown;
  namespace?: unknown;
} | null {
  try {
    const value = document.toJS({ maxAliasCount: 100 });
    return typeof value === 'object' ? (value as { id?: unknown; namespace?: unknown } | null) : null;
  } catch {
    return null;
  }
}
