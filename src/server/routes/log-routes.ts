import type { Hono } from 'hono';
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from '../../model/execution.ts';
import { isTerminal } from '../../model/state.ts';
import type { LogFilter, StoredLogEntry } from '../../repository/repository.ts';
import { type ApiDocs, pageQuery, parseQuery } from '../api-docs.ts';
import { notFound } from '../http-error.ts';
import { API_ROOT, type ServerDeps } from '../server-deps.ts';
import { sseStream } from '../sse.ts';

const levels = LOG_LEVELS as [LogLevel, ...LogLevel[]];
const searchQuery = z.object({
  q: z.string().optional().describe('substring of the message'),
  namespace: z.string().optional(),
  flowId: z.string().optional(),
  minLevel: z.enum(levels).optional(),
  ...pageQuery,
});
const executionQuery = z.object({
  minLevel: z.enum(levels).optional(),
  taskRunId: z.string().optional(),
  q: z.string().optional(),
});
/** Logs are re-read at this pace while following, in case an engine event was missed. */
const FOLLOW_POLL_MS = 1000;

/** Log search, per-execution logs, live follow (SSE) and plain-text download. */
export function registerLogRoutes(app: Hono, deps: ServerDeps, docs: ApiDocs): void {
  const { repository, engine } = deps;
  const base = `${API_ROOT}/logs`;

  const executionLogs = async (filter: LogFilter): Promise<StoredLogEntry[]> => {
    const out: StoredLogEntry[] = [];
    for (let page = 1; ; page++) {
      const found = await repository.logs.find({ ...filter, page, size: 1000 });
      out.push(...found.results);
      if (found.results.length < 1000) return out;
    }
  };
  const filterOf = (executionId: string, q: z.output<typeof executionQuery>): LogFilter => ({
    executionId,
    ...(q.minLevel ? { minLevel: q.minLevel } : {}),
    ...(q.taskRunId ? { taskRunId: q.taskRunId } : {}),
    ...(q.q ? { query: q.q } : {}),
  });

  docs.add({ method: 'get', path: `${base}/search`, summary: 'Search logs', tag: 'Logs', query: searchQuery });
  app.get(`${base}/search`, async (c) => {
    const q = parseQuery(c, searchQuery);
    const found = await repository.logs.find({
      ...(q.q ? { query: q.q } : {}),
      ...(q.namespace ? { namespace: q.namespace } : {}),
      ...(q.flowId ? { flowId: q.flowId } : {}),
      ...(q.minLevel ? { minLevel: q.minLevel } : {}),
      page: q.page,
      size: q.size,
    });
    return c.json(found);
  });

  docs.add({
    method: 'get',
    path: `${base}/{executionId}`,
    summary: 'Logs of an execution (oldest first)',
    tag: 'Logs',
    query: executionQuery,
  });
  app.get(`${base}/:executionId`, async (c) => {
    const id = c.req.param('executionId');
    if (!(await repository.executions.get(id))) throw notFound(`execution ${id}`);
    return c.json(await executionLogs(filterOf(id, parseQuery(c, executionQuery))));
  });

  docs.add({
    method: 'get',
    path: `${base}/{executionId}/download`,
    summary: 'Logs as plain text',
    tag: 'Logs',
    query: executionQuery,
  });
  app.get(`${base}/:executionId/download`, async (c) => {
    const id = c.req.param('executionId');
    if (!(await repository.executions.get(id))) throw notFound(`execution ${id}`);
    const entries = await executionLogs(filterOf(id, parseQuery(c, executionQuery)));
    const text = entries
      .map((e) => `${e.timestamp} ${e.level.padEnd(5)} ${e.taskId ? `[${e.taskId}] ` : ''}${e.message}`)
      .join('\n');
    return c.body(`${text}\n`, 200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': `attachment; filename="${id}.log"`,
    });
  });

  docs.add({
    method: 'get',
    path: `${base}/{executionId}/follow`,
    summary: 'SSE of log entries until the execution ends',
    tag: 'Logs',
    query: executionQuery,
  });
  app.get(`${base}/:executionId/follow`, async (c) => {
    const id = c.req.param('executionId');
    if (!(await repository.executions.get(id))) throw notFound(`execution ${id}`);
    const filter = filterOf(id, parseQuery(c, executionQuery));
    return sseStream(c, async (send, end) => {
      let after = 0;
      let running = false;
      let again = false;
      let ended = false;
      // One reader at a time; a request while reading schedules one more pass so nothing is skipped.
      const drain = async (): Promise<void> => {
        if (ended) return;
        if (running) {
          again = true;
          return;
        }
        running = true;
        try {
          do {
            again = false;
            const execution = await repository.executions.get(id);
            const entries = await executionLogs({ ...filter, afterSequence: after });
            for (const entry of entries) {
              send('log', entry);
              after = Math.max(after, entry.sequence);
            }
            if (!execution || isTerminal(execution.state.current)) {
              ended = true;
              end();
            }
          } while (again && !ended);
        } catch {
          ended = true;
          end();
        } finally {
          running = false;
        }
      };
      const stop = engine.subscribe((event) => {
        if (event.type === 'logs' && event.entries.some((e) => e.executionId === id)) void drain();
        if (event.type === 'execution' && event.execution.id === id) void drain();
      });
      const timer = setInterval(() => void drain(), FOLLOW_POLL_MS);
      await drain();
      return () => {
        ended = true;
        clearInterval(timer);
        stop();
      };
    });
  });
}
