import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { openRepository } from '../../repository/open-repository.ts';
import type { Repository } from '../../repository/repository.ts';
import { createApp } from '../create-app.ts';
import type { BasicAuthUser } from '../server-deps.ts';
import { type FakeEngine, fakeEngine } from './fake-engine.ts';
import { createTestRegistry } from './test-registry.ts';

/** An app on a fresh repository in a temp data dir, with the fake engine; `close` removes everything. */
export interface TestApp {
  app: Hono;
  repository: Repository;
  engine: FakeEngine;
  dataDir: string;
  close(): Promise<void>;
}

export async function createTestApp(
  options: { auth?: BasicAuthUser[]; stepMs?: number; examplesDir?: string; uiDir?: string } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'windhover-server-'));
  const registry = createTestRegistry();
  const repository = await openRepository({ dataDir });
  const engine = fakeEngine(repository, registry, { stepMs: options.stepMs ?? 0 });
  const app = createApp({
    repository,
    engine,
    registry,
    dataDir,
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.examplesDir ? { examplesDir: options.examplesDir } : {}),
    ...(options.uiDir ? { uiDir: options.uiDir } : {}),
  });
  return {
    app,
    repository,
    engine,
    dataDir,
    async close() {
      await engine.idle();
      await repository.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const HELLO_FLOW = `id: hello
namespace: company.team
description: Says hello
inputs:
  - id: name
    type: STRING
  - id: count
    type: INT
    defaults: 1
tasks:
  - id: greet
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.name }}"
outputs:
  - id: greeting
    type: STRING
    value: "{{ outputs.greet.value }}"
`;
