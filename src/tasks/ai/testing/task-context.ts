import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResourceCache } from '../../../engine/shared-resources.ts';
import type { TaskDefinition } from '../../../plugin/define-plugin.ts';
import type { PluginRegistry } from '../../../plugin/plugin-registry.ts';
import type { FileStorage, Metric, RunContext, TaskLogger } from '../../../plugin/run-context.ts';

/** A RunContext for calling a task's `run` directly, with logs and metrics collected. */
export function testRunContext(options: { registry: PluginRegistry; dataDir?: string; workingDirectory?: string }) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wh-ai-'));
  const logs: string[] = [];
  const metrics: Metric[] = [];
  const files = new Map<string, Uint8Array>();
  const logger: TaskLogger = {
    log: (level, message) => logs.push(`${level} ${message}`),
    trace: (message) => logs.push(`TRACE ${message}`),
    debug: (message) => logs.push(`DEBUG ${message}`),
    info: (message) => logs.push(`INFO ${message}`),
    warn: (message) => logs.push(`WARN ${message}`),
    error: (message) => logs.push(`ERROR ${message}`),
  };
  const storage: FileStorage = {
    async put(name, data) {
      const chunks: Uint8Array[] = [];
      if (data instanceof Uint8Array) chunks.push(data);
      else for await (const chunk of data) chunks.push(chunk);
      const uri = `kestra:///test/${files.size}/${name}`;
      files.set(uri, Buffer.concat(chunks));
      return uri;
    },
    async get(uri) {
      const data = files.get(uri);
      if (!data) throw new Error(`no file ${uri}`);
      return data;
    },
    async exists(uri) {
      return files.has(uri);
    },
    async size(uri) {
      return files.get(uri)?.byteLength ?? 0;
    },
    localPath(uri) {
      return uri;
    },
  };
  const resources = new ResourceCache();
  const ctx: RunContext = {
    signal: new AbortController().signal,
    logger,
    flow: { id: 'rag', namespace: 'company.ai', revision: 1 },
    execution: { id: 'execution-1' },
    taskRun: { id: 'taskrun-1', taskId: 'task', attempt: 1 },
    variables: {},
    render: async (template) => template,
    storage,
    kv: {
      get: async () => undefined,
      set: async () => {
        throw new Error('kv is not available in this test context');
      },
      list: async () => [],
      delete: async () => false,
    },
    dataDir,
    workingDirectory: options.workingDirectory ?? dataDir,
    maskSecret() {},
    metric: (metric) => metrics.push(metric),
    resources,
    registry: options.registry,
  };
  return { ctx, logs, metrics, files, dataDir, close: () => resources.closeAll() };
}

/** Validates raw properties against the task's schema (defaults applied) and runs it. */
export async function runTask(definition: TaskDefinition, ctx: RunContext, raw: Record<string, unknown>) {
  const props = definition.properties.parse(raw);
  return definition.run(ctx, props);
}
