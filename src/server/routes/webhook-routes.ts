import type { Context, Hono } from 'hono';
import type { TriggerSpec } from '../../flow/flow-types.ts';
import type { ApiDocs } from '../api-docs.ts';
import { awaitPersisted } from '../await-persisted.ts';
import { specOf } from '../flow-response.ts';
import { HttpError } from '../http-error.ts';
import { API_ROOT, type ServerDeps } from '../server-deps.ts';

const WEBHOOK_TYPES = new Set([
  'io.kestra.plugin.core.trigger.Webhook',
  'io.kestra.core.models.triggers.types.Webhook',
]);

/**
 * `/executions/webhook/{namespace}/{flowId}/{key}`: starts the flow when it has a Webhook trigger
 * with that key. Any mismatch answers the same 404, so the key cannot be guessed from responses.
 */
export function registerWebhookRoutes(app: Hono, deps: ServerDeps, docs: ApiDocs): void {
  const path = `${API_ROOT}/executions/webhook/:namespace/:flowId/:key`;
  for (const method of ['get', 'post', 'put'] as const) {
    docs.add({
      method,
      path: `${API_ROOT}/executions/webhook/{namespace}/{flowId}/{key}`,
      summary: 'Start a flow from its Webhook trigger',
      tag: 'Executions',
    });
  }
  app.on(['GET', 'POST', 'PUT'], path, async (c) => {
    const { namespace, flowId, key } = c.req.param();
    const trigger = await findTrigger(deps, namespace, flowId, key);
    const variables = { body: await readBody(c), headers: headersOf(c), parameters: parametersOf(c) };
    const execution = await deps.engine.createExecution(namespace, flowId, {
      trigger: { id: trigger.id, type: trigger.type, variables },
      ...(trigger.inputs ? { inputs: trigger.inputs } : {}),
    });
    await awaitPersisted(deps.repository, execution);
    const wait = trigger.wait === true || trigger.returnOutputs === true;
    if (!wait) return c.json(summary(execution));
    const done = await deps.engine.waitForTerminal(execution.id, c.req.raw.signal);
    if (trigger.returnOutputs === true) return c.json(done.outputs ?? {});
    return c.json(summary(done));
  });
}

async function findTrigger(deps: ServerDeps, namespace: string, flowId: string, key: string): Promise<TriggerSpec> {
  const hidden = new HttpError(404, 'webhook not found');
  const record = await deps.repository.flows.get(namespace, flowId);
  if (!record || record.disabled) throw hidden;
  const spec = specOf(record, deps.registry);
  if (!spec || spec.disabled) throw hidden;
  const trigger = (spec.triggers ?? []).find(
    (t) =>
      (WEBHOOK_TYPES.has(t.type) || WEBHOOK_TYPES.has(deps.registry.canonicalType(t.type) ?? '')) &&
      t.key === key &&
      t.disabled !== true,
  );
  if (!trigger) throw hidden;
  return trigger;
}

async function readBody(c: Context): Promise<unknown> {
  if (c.req.method === 'GET') return null;
  const text = await c.req.text();
  if (text === '') return null;
  if ((c.req.header('content-type') ?? '').includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function headersOf(c: Context): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  c.req.raw.headers.forEach((value, name) => {
    // Credentials stay out of execution variables (they would be stored and shown in the UI).
    if (name === 'authorization' || name === 'cookie') return;
    out[name] = [...(out[name] ?? []), value];
  });
  return out;
}

function parametersOf(c: Context): Record<string, string[]> {
  return c.req.queries();
}

function summary(execution: {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: unknown;
  labels: unknown;
  outputs?: unknown;
  trigger?: unknown;
}): Record<string, unknown> {
  const { id, namespace, flowId, flowRevision, state, labels, outputs, trigger } = execution;
  return { id, namespace, flowId, flowRevision, state, labels, outputs, trigger };
}
