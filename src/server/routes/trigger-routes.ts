import type { Hono } from 'hono';
import { z } from 'zod';
import type { TriggerState } from '../../model/flow-record.ts';
import { type ApiDocs, pageQuery, parseQuery } from '../api-docs.ts';
import { specOf } from '../flow-response.ts';
import { HttpError } from '../http-error.ts';
import { API_ROOT, type ServerDeps, type TriggerScheduler } from '../server-deps.ts';

const searchQuery = z.object({ namespace: z.string().optional(), flowId: z.string().optional(), ...pageQuery });
const backfillBody = z.object({
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }).optional(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  labels: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
});
const disabledBody = z.object({ disabled: z.boolean() });

/** One trigger of one flow with what the scheduler remembers of it. */
export interface TriggerView {
  namespace: string;
  flowId: string;
  id: string;
  type: string;
  disabled: boolean;
  nextDate?: string;
  lastDate?: string;
  lastExecutionId?: string;
  runningExecutionId?: string;
  backfill?: Record<string, unknown>;
  /** For Webhook triggers: the path to call (the key is part of it). */
  webhookPath?: string;
}

/** Triggers: list with next and last fire dates; backfills and enable/disable through the scheduler. */
export function registerTriggerRoutes(app: Hono, deps: ServerDeps, docs: ApiDocs): void {
  const base = `${API_ROOT}/triggers`;
  const one = `${base}/{namespace}/{flowId}/{triggerId}`;
  const path = `${base}/:namespace/:flowId/:triggerId`;

  docs.add({
    method: 'get',
    path: `${base}/search`,
    summary: 'Triggers with their state',
    tag: 'Triggers',
    query: searchQuery,
  });
  app.get(`${base}/search`, async (c) => {
    const q = parseQuery(c, searchQuery);
    // Pick up flows saved since the scheduler's last periodic sync, so new triggers show their next date.
    await deps.scheduler?.syncFlows();
    const all = await listTriggers(deps, q.namespace, q.flowId);
    const results = all.slice((q.page - 1) * q.size, q.page * q.size);
    return c.json({
      total: all.length,
      results,
      capabilities: { backfill: deps.scheduler !== undefined, disable: deps.scheduler?.setDisabled !== undefined },
    });
  });

  const scheduler = deps.scheduler;
  if (!scheduler) return;
  const act = async (action: () => Promise<unknown>): Promise<unknown> => {
    try {
      await scheduler.syncFlows();
      return await action();
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new HttpError(/no Schedule trigger|no backfill/.test(message) ? 404 : 400, message);
    }
  };

  docs.add({
    method: 'post',
    path: `${one}/backfill`,
    summary: 'Start a backfill of a Schedule trigger',
    tag: 'Triggers',
    body: { contentType: 'application/json', schema: backfillBody },
  });
  app.post(`${path}/backfill`, async (c) => {
    const { namespace, flowId, triggerId } = c.req.param();
    const body = backfillBody.parse(await c.req.json().catch(() => ({})));
    const options = {
      start: body.start,
      ...(body.end ? { end: body.end } : {}),
      ...(body.inputs ? { inputs: body.inputs } : {}),
      ...(body.labels ? { labels: body.labels } : {}),
    };
    return c.json(await act(() => scheduler.backfill(namespace, flowId, triggerId, options)));
  });
  const backfillAction = (
    name: string,
    summary: string,
    run: (s: TriggerScheduler, ns: string, f: string, t: string) => Promise<void>,
  ) => {
    docs.add({ method: 'post', path: `${one}/backfill/${name}`, summary, tag: 'Triggers' });
    app.post(`${path}/backfill/${name}`, async (c) => {
      const { namespace, flowId, triggerId } = c.req.param();
      await act(() => run(scheduler, namespace, flowId, triggerId));
      return c.json((await listTriggers(deps, namespace, flowId)).find((t) => t.id === triggerId) ?? {});
    });
  };
  backfillAction('pause', 'Pause a backfill', (s, ns, f, t) => s.pauseBackfill(ns, f, t));
  backfillAction('unpause', 'Resume a paused backfill', (s, ns, f, t) => s.resumeBackfill(ns, f, t));
  backfillAction('delete', 'Cancel a backfill', (s, ns, f, t) => s.cancelBackfill(ns, f, t));

  const setDisabled = scheduler.setDisabled?.bind(scheduler);
  if (!setDisabled) return;
  docs.add({
    method: 'put',
    path: `${one}/disabled`,
    summary: 'Enable or disable a trigger',
    tag: 'Triggers',
    body: { contentType: 'application/json', schema: disabledBody },
  });
  app.put(`${path}/disabled`, async (c) => {
    const { namespace, flowId, triggerId } = c.req.param();
    const { disabled } = disabledBody.parse(await c.req.json().catch(() => ({})));
    await act(() => setDisabled(namespace, flowId, triggerId, disabled));
    return c.json((await listTriggers(deps, namespace, flowId)).find((t) => t.id === triggerId) ?? {});
  });
}

/** Every trigger declared by the flows, joined with its stored state. */
async function listTriggers(deps: ServerDeps, namespace?: string, flowId?: string): Promise<TriggerView[]> {
  const states = new Map<string, TriggerState>();
  for (const state of await deps.repository.triggers.list({
    ...(namespace ? { namespace } : {}),
    ...(flowId ? { flowId } : {}),
  })) {
    states.set(`${state.namespace}\u0000${state.flowId}\u0000${state.triggerId}`, state);
  }
  const out: TriggerView[] = [];
  for (let page = 1; ; page++) {
    const found = await deps.repository.flows.search({ ...(namespace ? { namespace } : {}), page, size: 500 });
    for (const record of found.results) {
      if (flowId && record.id !== flowId) continue;
      const spec = specOf(record, deps.registry);
      for (const trigger of spec?.triggers ?? []) {
        const state = states.get(`${record.namespace}\u0000${record.id}\u0000${trigger.id}`);
        const view: TriggerView = {
          namespace: record.namespace,
          flowId: record.id,
          id: trigger.id,
          type: trigger.type,
          disabled: trigger.disabled === true || record.disabled || state?.disabled === true,
        };
        if (state?.nextDate) view.nextDate = state.nextDate;
        if (state?.lastDate) view.lastDate = state.lastDate;
        if (state?.lastExecutionId) view.lastExecutionId = state.lastExecutionId;
        if (state?.runningExecutionId) view.runningExecutionId = state.runningExecutionId;
        if (state?.backfill) view.backfill = state.backfill;
        if (trigger.type.endsWith('.Webhook') && typeof trigger.key === 'string') {
          view.webhookPath = `${API_ROOT}/executions/webhook/${record.namespace}/${record.id}/${trigger.key}`;
        }
        out.push(view);
      }
    }
    if (page * 500 >= found.total) break;
  }
  return out;
}
