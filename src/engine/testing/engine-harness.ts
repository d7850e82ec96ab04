import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Execution } from '../../model/execution.ts';
import { createDefaultRegistry } from '../../plugins.ts';
import { openRepository } from '../../repository/open-repository.ts';
import type { Repository } from '../../repository/repository.ts';
import { SecretStore } from '../../secrets/secret-store.ts';
import { Engine } from '../engine.ts';
import type { CreateExecutionOptions } from '../engine-api.ts';
import { memoryStorage } from './memory-storage.ts';
import { testTasks } from './test-tasks.ts';

/** A real engine on a real SQLite file in a temporary data directory. */
export interface Harness {
  dataDir: string;
  engine: Engine;
  repository: Repository;
  /** Stores the flow YAML and runs it to its end. */
  run(yaml: string, options?: CreateExecutionOptions): Promise<Execution>;
  /** Stores the flow YAML and creates an execution without waiting for it (for pause, kill, crashes). */
  start(yaml: string, options?: CreateExecutionOptions): Promise<Execution>;
  /** Stores the flow YAML as the flow named by its top-level `namespace` and `id`. */
  save(yaml: string): Promise<{ namespace: string; id: string }>;
  /**
   * Polls until `predicate` holds for the execution, then returns it; fails after `timeoutMs`
   * (10 s). By default it reads the engine's live view; `stored: true` reads the repository,
   * i.e. what a crash of this process would leave behind.
   */
  waitUntil(
    executionId: string,
    predicate: (execution: Execution) => boolean,
    options?: { stored?: boolean; timeoutMs?: number },
  ): Promise<Execution>;
  /** Restarts a failed execution and waits for it to end again. */
  restart(executionId: string): Promise<Execution>;
  /** Replays an execution (from a task run, when given) and waits for the new execution to end. */
  replay(executionId: string, fromTaskRunId?: string): Promise<Execution>;
  /** Resumes a paused execution and waits for it to end. */
  resume(executionId: string): Promise<Execution>;
  /** Log lines as `LEVEL taskId message` (`-` for execution-level lines). */
  logs(executionId: string): Promise<string[]>;
  /** Whether any log line of the execution contains `text`. */
  logged(executionId: string, text: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens a harness on a fresh temporary data directory, or on `dataDir` to pick up a previous one's state. */
export async function createHarness(
  options: { dataDir?: string; secrets?: Record<string, string>; env?: NodeJS.ProcessEnv } = {},
): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wh-engine-'));
  const registry = createDefaultRegistry().register(...testTasks);
  const repository = await openRepository({ dataDir });
  const storages = new Map<string, ReturnType<typeof memoryStorage>>();
  const engine = new Engine({
    repository,
    registry,
    secrets: new SecretStore({ env: options.env ?? {}, plain: options.secrets ?? {} }),
    dataDir,
    storageFor: (execution) => {
      let storage = storages.get(execution.id);
      if (!storage) {
        storage = memoryStorage(execution.id);
        storages.set(execution.id, storage);
      }
      return storage;
    },
  });
  const save = async (yaml: string) => {
    const namespace = /^namespace:\s*(\S+)/m.exec(yaml)?.[1];
    const id = /^id:\s*(\S+)/m.exec(yaml)?.[1];
    if (!namespace || !id) throw new Error('test flow needs id and namespace at the top level');
    await repository.flows.save({ namespace, id, source: yaml });
    return { namespace, id };
  };
  const start = async (yaml: string, createOptions?: CreateExecutionOptions) => {
    const { namespace, id } = await save(yaml);
    return engine.createExecution(namespace, id, createOptions);
  };
  const logs = async (executionId: string) => {
    const page = await repository.logs.find({ executionId, size: 10_000 });
    return page.results.map((entry) => `${entry.level} ${entry.taskId ?? '-'} ${entry.message}`);
  };
  return {
    dataDir,
    engine,
    repository,
    save,
    start,
    async run(yaml, createOptions) {
      return engine.waitForTerminal((await start(yaml, createOptions)).id);
    },
    async waitUntil(executionId, predicate, { stored = false, timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const execution = stored
          ? await repository.executions.get(executionId)
          : await engine.getExecution(executionId);
        if (execution && predicate(execution)) return execution;
        if (Date.now() > deadline) {
          throw new Error(
            `execution ${executionId} did not reach the awaited condition within ${timeoutMs} ms; ` +
              `it is ${execution ? execution.state.current : 'not found'}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async restart(executionId) {
      await engine.restart(executionId);
      return engine.waitForTerminal(executionId);
    },
    async replay(executionId, fromTaskRunId) {
      const replay = await engine.replay(executionId, fromTaskRunId);
      return engine.waitForTerminal(replay.id);
    },
    async resume(executionId) {
      await engine.resume(executionId);
      return engine.waitForTerminal(executionId);
    },
    logs,
    async logged(executionId, text) {
      return (await logs(executionId)).some((line) => line.includes(text));
    },
    async close() {
      await engine.stop();
      await repository.close();
    },
  };
}
