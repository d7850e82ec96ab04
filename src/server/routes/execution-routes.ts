import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { Execution } from '../../model/execution.ts';
import { isTerminal, STATES } from '../../model/state.ts';
import { type ApiDocs, pageQuery, parseQuery } from '../api-docs.ts';
import { awaitPersisted } from '../await-persisted.ts';
import { fileStream, resolveExecutionFile } from '../execution-files.ts';
import { HttpError, notFound } from '../http-error.ts';
import { readInputs } from '../request-inputs.ts';
import { API_ROOT, type ServerDeps } from '../server-deps.ts';
import { sseStream } from '../sse.ts';

const createQuery = z.object({
  labels: z.array(z.string().regex(/^[^:]+:.*$/, 'labels are key:value')).optional(),
  wait: z.enum(['true', 'false']).optional(),
  revision: z.coerce.number().int().min(1).optional(),
  scheduleDate: z.iso.datetime({ offset: true }).optional(),
});
const searchQuery = z.object({
  namespace: z.string().optional(),
  flowId: z.string().optional(),
  state: z.array(z.enum(STATES)).optional(),
  startDate: z.iso.datetime({ offset: true }).optional(),
  endDate: z.iso.datetime({ offset: true }).optional(),
  labels: z.array(z.string()).optional(),
  ...pageQuery,
});
const replayQuery = z.object({ taskRunId: z.string().optional() });
const fileQuery = z.object({ path: z.string().min(1) });

/** Executions: create (multipart or JSON inputs), search, actions, live follow and file download. */
export function registerExecutionRoutes(app: Hono, deps: ServerDeps, docs: ApiDocs): void {
  const { repository, engine } = deps;
  const base = `${API_ROOT}/executions`;
  const load = async (id: string): Promise<Execution> => {
    const execution = await repository.executions.get(id);
    if (!execution) throw notFound(`execution ${id}`);
    return execution;
  };

  docs.add({
    method: 'get',
    path: `${base}/search`,
    summary: 'Search executions (newest first)',
    tag: 'Executions',
    query: searchQuery,
  });
  app.get(`${base}/search`, async (c) => {
    const q = parseQuery(c, searchQuery);
    const found = await repository.executions.search({
      ...(q.namespace ? { namespace: q.namespace } : {}),
      ...(q.flowId ? { flowId: q.flowId } : {}),
      ...(q.state ? { states: q.state } : {}),
      ...(q.startDate ? { startDate: q.startDate } : {}),
      ...(q.endDate ? { endDate: q.endDate } : {}),
      ...(q.labels ? { labels: parseLabels(q.labels) } : {}),
      page: q.page,
      size: q.size,
    });
    return c.json(found);
  });

  docs.add({ method: 'get', path: `${base}/{id}`, summary: 'Get an execution', tag: 'Executions' });
  app.get(`${base}/:id`, async (c) => c.json(await load(c.req.param('id'))));

  docs.add({ method: 'delete', path: `${base}/{id}`, summary: 'Delete an execution and its logs', tag: 'Executions' });
  app.delete(`${base}/:id`, async (c) => {
    const id = c.req.param('id');
    const execution = await load(id);
    if (!isTerminal(execution.state.current))
      throw new HttpError(409, `execution ${id} is still running; kill it first`);
    await repository.executions.delete(id);
    await repository.logs.deleteByExecution(id);
    return c.body(null, 204);
  });

  docs.add(
    { method: 'delete', path: `${base}/{id}/kill`, summary: 'Kill a running execution', tag: 'Executions' },
    { method: 'post', path: `${base}/{id}/kill`, summary: 'Kill a running execution', tag: 'Executions' },
  );
  const kill = async (c: Context) => {
    const id = c.req.param('id') ?? '';
    const execution = await load(id);
    if (isTerminal(execution.state.current)) {
      throw new HttpError(409, `execution ${id} already ended in ${execution.state.current}`);
    }
    return c.json(await engine.kill(id), 202);
  };
  app.delete(`${base}/:id/kill`, kill);
  app.post(`${base}/:id/kill`, kill);

  docs.add({ method: 'post', path: `${base}/{id}/restart`, summary: 'Restart from failed tasks', tag: 'Executions' });
  app.post(`${base}/:id/restart`, async (c) => {
    await load(c.req.param('id'));
    return c.json(await engine.restart(c.req.param('id')));
  });

  docs.add({
    method: 'post',
    path: `${base}/{id}/replay`,
    summary: 'Replay as a new execution, optionally from a task run',
    tag: 'Executions',
    query: replayQuery,
  });
  app.post(`${base}/:id/replay`, async (c) => {
    const { taskRunId } = parseQuery(c, replayQuery);
    const execution = await load(c.req.param('id'));
    if (taskRunId && !execution.taskRuns.some((run) => run.id === taskRunId)) {
      throw new HttpError(404, `task run ${taskRunId} not found in execution ${execution.id}`);
    }
    return c.json(await awaitPersisted(repository, await engine.replay(execution.id, taskRunId)));
  });

  docs.add({ method: 'post', path: `${base}/{id}/resume`, summary: 'Resume a paused execution', tag: 'Executions' });
  app.post(`${base}/:id/resume`, async (c) => {
    const execution = await load(c.req.param('id'));
    if (execution.state.current !== 'PAUSED') {
      throw new HttpError(409, `execution ${execution.id} is ${execution.state.current}, not PAUSED`);
    }
    const { inputs } = await readInputs(c);
    return c.json(await engine.resume(execution.id, inputs));
  });

  docs.add({ method: 'get', path: `${base}/{id}/follow`, summary: 'SSE of execution updates', tag: 'Executions' });
  app.get(`${base}/:id/follow`, async (c) => {
    const id = c.req.param('id');
    await load(id);
    return sseStream(c, async (send, end) => {
      const stop = engine.subscribe((event) => {
        if (event.type !== 'execution' || event.execution.id !== id) return;
        send('execution', event.execution);
        if (isTerminal(event.execution.state.current)) end();
      });
      // Read after subscribing so no update falls between the snapshot and the first event.
      const current = await repository.executions.get(id);
      if (current) send('execution', current);
      if (!current || isTerminal(current.state.current)) end();
      return stop;
    });
  });

  docs.add({
    method: 'get',
    path: `${base}/{id}/file`,
    summary: 'Download a file of an execution',
    tag: 'Executions',
    query: fileQuery,
  });
  app.get(`${base}/:id/file`, async (c) => {
    const { path } = parseQuery(c, fileQuery);
    const execution = await load(c.req.param('id'));
    const file = await resolveExecutionFile(deps.dataDir, execution, path);
    return c.body(fileStream(file.path), 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(file.size),
      'content-disposition': `attachment; filename="${file.name.replace(/["\\\r\n]/g, '_')}"`,
    });
  });
  // Last: `/{namespace}/{flowId}` would otherwise swallow `POST /{id}/restart` and the other actions.
  docs.add({
    method: 'post',
    path: `${base}/{namespace}/{flowId}`,
    summary: 'Create an execution; inputs as multipart/form-data (files as parts) or JSON',
    tag: 'Executions',
    query: createQuery,
    body: { contentType: 'multipart/form-data' },
  });
  app.post(`${base}/:namespace/:flowId`, async (c) => {
    const { namespace, flowId } = c.req.param();
    const q = parseQuery(c, createQuery);
    const { inputs, files } = await readInputs(c);
    const execution = await engine.createExecution(namespace, flowId, {
      inputs,
      files,
      ...(q.labels ? { labels: parseLabels(q.labels) } : {}),
      ...(q.revision ? { revision: q.revision } : {}),
      ...(q.scheduleDate ? { scheduleDate: q.scheduleDate } : {}),
    });
    await awaitPersisted(repository, execution);
    if (q.wait !== 'true') return c.json(execution);
    return c.json(await engine.waitForTerminal(execution.id, c.req.raw.signal));
  });
}

function parseLabels(labels: string[]): { key: string; value: string }[] {
  return labels.map((label) => {
    const at = label.indexOf(':');
    return { key: label.slice(0, at), value: label.slice(at + 1) };
  });
}
