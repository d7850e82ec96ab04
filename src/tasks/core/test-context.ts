import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { render } from '../../expression/index.ts';
import type { LogLevel } from '../../model/execution.ts';
import type { KvEntry } from '../../model/flow-record.ts';
import type { FileStorage, KvAccess, Metric, RunContext, TaskLogger } from '../../plugin/run-context.ts';

/** A RunContext for task tests: real files in a temp dir, an in-memory KV, captured logs. */
export interface TestContext extends RunContext {
  readonly logs: Array<{ level: LogLevel; message: string }>;
  readonly metrics: Metric[];
  readonly kvEntries: Map<string, KvEntry>;
  /** Aborts the run signal, as a timeout or kill would. */
  abort(reason?: unknown): void;
  /** Removes the temp directory. */
  dispose(): void;
}

function testLogger(logs: Array<{ level: LogLevel; message: string }>): TaskLogger {
  const log = (level: LogLevel, message: string) => {
    logs.push({ level, message });
  };
  return {
    log,
    trace: (message) => log('TRACE', message),
    debug: (message) => log('DEBUG', message),
    info: (message) => log('INFO', message),
    warn: (message) => log('WARN', message),
    error: (message) => log('ERROR', message),
  };
}

function fileStorage(root: string): FileStorage {
  const pathOf = (uri: string) => {
    if (!uri.startsWith('kestra:///')) throw new Error(`not a storage URI: ${uri}`);
    return join(root, 'storage', uri.slice('kestra:///'.length));
  };
  let counter = 0;
  return {
    async put(name, data) {
      const uri = `kestra:///test/${++counter}/${name}`;
      const path = pathOf(uri);
      await mkdir(dirname(path), { recursive: true });
      if (data instanceof Uint8Array) await writeFile(path, data);
      else await writeFile(path, data);
      return uri;
    },
    get: async (uri) => new Uint8Array(await readFile(pathOf(uri))),
    exists: async (uri) =>
      stat(pathOf(uri)).then(
        () => true,
        () => false,
      ),
    size: async (uri) => (await stat(pathOf(uri))).size,
    localPath: pathOf,
  };
}

function memoryKv(entries: Map<string, KvEntry>): KvAccess {
  const id = (namespace: string, key: string) => `${namespace}\u0000${key}`;
  return {
    get: async (namespace, key) => entries.get(id(namespace, key)),
    async set(entry) {
      const existing = entries.get(id(entry.namespace, entry.key));
      if (existing && entry.overwrite === false) throw new Error(`key '${entry.key}' already exists`);
      const now = new Date().toISOString();
      const stored: KvEntry = {
        namespace: entry.namespace,
        key: entry.key,
        type: entry.type,
        value: entry.value,
        description: entry.description,
        expirationDate: entry.ttlMs === undefined ? undefined : new Date(Date.now() + entry.ttlMs).toISOString(),
        creationDate: existing?.creationDate ?? now,
        updateDate: now,
      };
      entries.set(id(entry.namespace, entry.key), stored);
      return stored;
    },
    list: async (namespace, prefix) =>
      [...entries.values()].filter((e) => e.namespace === namespace && (!prefix || e.key.startsWith(prefix))),
    delete: async (namespace, key) => entries.delete(id(namespace, key)),
  };
}

export function createTestContext(
  options: { variables?: Record<string, unknown>; namespace?: string } = {},
): TestContext {
  const root = mkdtempSync(join(tmpdir(), 'windhover-core-task-'));
  const controller = new AbortController();
  const logs: Array<{ level: LogLevel; message: string }> = [];
  const metrics: Metric[] = [];
  const kvEntries = new Map<string, KvEntry>();
  const namespace = options.namespace ?? 'company.team';
  const variables = { flow: { id: 'test', namespace }, ...options.variables };
  const cache = new Map<string, unknown>();
  return {
    signal: controller.signal,
    logger: testLogger(logs),
    flow: { id: 'test', namespace, revision: 1 },
    execution: { id: 'execution-1' },
    taskRun: { id: 'taskrun-1', taskId: 'task', attempt: 1 },
    variables,
    render: async (template) => (typeof template === 'string' ? render(template, { variables }) : template),
    storage: fileStorage(root),
    kv: memoryKv(kvEntries),
    dataDir: join(root, 'data'),
    workingDirectory: root,
    maskSecret: () => {},
    metric: (metric) => {
      metrics.push(metric);
    },
    resources: {
      async get<T>(key: string, create: () => Promise<T>) {
        if (!cache.has(key)) cache.set(key, await create());
        return cache.get(key) as T;
      },
    },
    logs,
    metrics,
    kvEntries,
    abort: (reason) => controller.abort(reason),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Validates raw properties with the task's schema (as the engine does after rendering) and runs it. */
export async function runTask<
  T extends { properties: { parse(value: unknown): unknown }; run: (...args: never[]) => unknown },
>(task: T, ctx: RunContext, properties: Record<string, unknown>): Promise<Record<string, unknown>> {
  const props = task.properties.parse(properties);
  const run = task.run as unknown as (ctx: RunContext, props: unknown) => Promise<Record<string, unknown>>;
  return run(ctx, props);
}
