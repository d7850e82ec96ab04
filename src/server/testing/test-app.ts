import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { Engine } from '../../engine/engine.ts';
import type { PluginRegistry } from '../../plugin/plugin-registry.ts';
import { openRepository } from '../../repository/open-repository.ts';
import type { Repository } from '../../repository/repository.ts';
import { SecretStore } from '../../secrets/secret-store.ts';
import { LocalFileStorage } from '../../storage/local-file-storage.ts';
import { createApp } from '../create-app.ts';
import type { BasicAuthUser } from '../server-deps.ts';
import { createTestRegistry } from './test-registry.ts';

export { HELLO_FLOW, OFFLINE_RAG_FLOW } from './test-flows.ts';

/** The real engine on a SQLite file in a temp data dir, with every shipped plugin. */
export interface TestDeps {
  engine: Engine;
  repository: Repository;
  registry: PluginRegistry;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestApp extends TestDeps {
  app: Hono;
}

export async function createTestDeps(): Promise<TestDeps> {
  const dataDir = await mkdtemp(join(tmpdir(), 'windhover-server-'));
  const registry = createTestRegistry();
  const repository = await openRepository({ dataDir });
  const engine = new Engine({
    repository,
    registry,
    secrets: new SecretStore({ env: {} }),
    dataDir,
    storageFor: (execution) => new LocalFileStorage(dataDir, execution),
  });
  await engine.start();
  return {
    engine,
    repository,
    registry,
    dataDir,
    async close() {
      await engine.stop();
      await repository.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The whole API in-process on real components; `close` stops the engine and removes the data dir. */
export async function createTestApp(
  options: { auth?: BasicAuthUser[]; examplesDir?: string; uiDir?: string } = {},
): Promise<TestApp> {
  const deps = await createTestDeps();
  const app = createApp({
    ...deps,
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.examplesDir ? { examplesDir: options.examplesDir } : {}),
    ...(options.uiDir ? { uiDir: options.uiDir } : {}),
  });
  return { ...deps, app };
}
