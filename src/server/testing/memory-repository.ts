import type { Execution, LogEntry } from '../../model/execution.ts';
import { levelRank } from '../../model/execution.ts';
import type { FlowRecord, KvEntry, TriggerState } from '../../model/flow-record.ts';
import { isTerminal } from '../../model/state.ts';
import type { Page, Repository, StoredLogEntry } from '../../repository/repository.ts';
import { KvKeyExistsError } from '../../repository/repository.ts';

function page<T>(all: T[], p = 1, size = 25): Page<T> {
  return { total: all.length, results: all.slice((p - 1) * size, p * size) };
}

/** An in-memory Repository for server tests until the SQLite one is wired in. */
export function memoryRepository(): Repository {
  const flows: FlowRecord[] = [];
  const executions = new Map<string, Execution>();
  const logs: StoredLogEntry[] = [];
  const kv = new Map<string, KvEntry>();
  const triggers = new Map<string, TriggerState>();
  let sequence = 0;
  const latest = (ns: string, id: string) =>
    flows.filter((f) => f.namespace === ns && f.id === id).sort((a, b) => b.revision - a.revision)[0];
  const live = (entry: KvEntry | undefined) =>
    entry && (!entry.expirationDate || Date.parse(entry.expirationDate) > Date.now()) ? entry : undefined;
  return {
    dialect: 'sqlite',
    flows: {
      async save(flow) {
        const last = latest(flow.namespace, flow.id);
        if (last && !last.deleted && last.source === flow.source) return last;
        const record: FlowRecord = {
          namespace: flow.namespace,
          id: flow.id,
          source: flow.source,
          revision: (last?.revision ?? 0) + 1,
          deleted: false,
          disabled: flow.disabled ?? false,
          updated: new Date().toISOString(),
        };
        flows.push(record);
        return record;
      },
      async get(ns, id, revision) {
        if (revision) return flows.find((f) => f.namespace === ns && f.id === id && f.revision === revision);
        const last = latest(ns, id);
        return last?.deleted ? undefined : last;
      },
      async search(filter) {
        const keys = [...new Set(flows.map((f) => `${f.namespace}\u0000${f.id}`))].sort();
        const all = keys
          .map((k) => {
            const [ns, id] = k.split('\u0000') as [string, string];
            return latest(ns, id)!;
          })
          .filter((f) => !f.deleted)
          .filter(
            (f) =>
              !filter.namespace || f.namespace === filter.namespace || f.namespace.startsWith(`${filter.namespace}.`),
          )
          .filter((f) => !filter.query || `${f.namespace}.${f.id}`.includes(filter.query));
        return page(all, filter.page, filter.size);
      },
      async revisions(ns, id) {
        return flows.filter((f) => f.namespace === ns && f.id === id).sort((a, b) => a.revision - b.revision);
      },
      async delete(ns, id) {
        const last = latest(ns, id);
        if (!last || last.deleted) return false;
        flows.push({ ...last, revision: last.revision + 1, deleted: true, updated: new Date().toISOString() });
        return true;
      },
    },
    executions: {
      async save(execution) {
        executions.set(execution.id, structuredClone(execution));
      },
      async saveAll(list) {
        for (const e of list) executions.set(e.id, structuredClone(e));
      },
      async get(id) {
        const e = executions.get(id);
        return e && structuredClone(e);
      },
      async search(filter) {
        const all = [...executions.values()]
          .filter((e) => !filter.namespace || e.namespace === filter.namespace)
          .filter((e) => !filter.flowId || e.flowId === filter.flowId)
          .filter((e) => !filter.states || filter.states.includes(e.state.current))
          .filter((e) => !filter.startDate || e.state.startDate >= filter.startDate)
          .filter((e) => !filter.endDate || e.state.startDate <= filter.endDate)
          .sort((a, b) => b.state.startDate.localeCompare(a.state.startDate));
        return page(
          all.map((e) => structuredClone(e)),
          filter.page,
          filter.size,
        );
      },
      async findUnfinished() {
        return [...executions.values()].filter((e) => !isTerminal(e.state.current));
      },
      async delete(id) {
        return executions.delete(id);
      },
    },
    logs: {
      async append(entries: LogEntry[]) {
        for (const entry of entries) logs.push({ ...entry, sequence: ++sequence });
      },
      async find(filter) {
        const all = logs
          .filter((l) => !filter.executionId || l.executionId === filter.executionId)
          .filter((l) => !filter.namespace || l.namespace === filter.namespace)
          .filter((l) => !filter.flowId || l.flowId === filter.flowId)
          .filter((l) => !filter.taskRunId || l.taskRunId === filter.taskRunId)
          .filter((l) => !filter.minLevel || levelRank(l.level) >= levelRank(filter.minLevel))
          .filter((l) => !filter.query || l.message.includes(filter.query))
          .filter((l) => filter.afterSequence === undefined || l.sequence > filter.afterSequence);
        return page(all, filter.page, filter.size ?? 1000);
      },
      async deleteByExecution(id) {
        let n = 0;
        for (let i = logs.length - 1; i >= 0; i--) {
          if (logs[i]?.executionId === id) {
            logs.splice(i, 1);
            n++;
          }
        }
        return n;
      },
    },
    kv: {
      async set(entry) {
        const k = `${entry.namespace}\u0000${entry.key}`;
        const existing = live(kv.get(k));
        if (existing && entry.overwrite === false) throw new KvKeyExistsError(entry.namespace, entry.key);
        const now = new Date().toISOString();
        const stored: KvEntry = {
          namespace: entry.namespace,
          key: entry.key,
          type: entry.type,
          value: entry.value,
          creationDate: existing?.creationDate ?? now,
          updateDate: now,
          ...(entry.description ? { description: entry.description } : {}),
          ...(entry.ttlMs ? { expirationDate: new Date(Date.now() + entry.ttlMs).toISOString() } : {}),
        };
        kv.set(k, stored);
        return stored;
      },
      async get(ns, key) {
        return live(kv.get(`${ns}\u0000${key}`));
      },
      async list(ns) {
        return [...kv.values()].filter((e) => e.namespace === ns && live(e)).sort((a, b) => a.key.localeCompare(b.key));
      },
      async namespaces() {
        return [...new Set([...kv.values()].filter((e) => live(e)).map((e) => e.namespace))];
      },
      async delete(ns, key) {
        return kv.delete(`${ns}\u0000${key}`);
      },
      async purgeExpired() {
        return 0;
      },
    },
    triggers: {
      async get(ns, flowId, triggerId) {
        return triggers.get(`${ns}/${flowId}/${triggerId}`);
      },
      async save(state) {
        triggers.set(`${state.namespace}/${state.flowId}/${state.triggerId}`, state);
      },
      async list() {
        return [...triggers.values()];
      },
      async delete() {
        return 0;
      },
    },
    async close() {},
  };
}
