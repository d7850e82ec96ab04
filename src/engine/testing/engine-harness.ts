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
  save(yaml: string): Promise<{ namespace: string; id: string }>;
  logs(executionId: string): Promise<string[]>;
  close(): Promise<void>;
}

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
  return {
    dataDir,
    engine,
    repository,
    save,
    async run(yaml, createOptions) {
      const { namespace, id } = await save(yaml);
      const execution = await engine.createExecution(namespace, id, createOptions);
      return engine.waitForTerminal(execution.id);
    },
    async logs(executionId) {
      const page = await repository.logs.find({ executionId, size: 10_000 });
      return page.results.map((entry) => `${entry.level} ${entry.taskId ?? '-'} ${entry.message}`);
    },
    async close() {
      await engine.stop();
      await repository.close();
    },
  };
}
