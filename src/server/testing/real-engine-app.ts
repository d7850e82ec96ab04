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
import { createTestRegistry } from './test-registry.ts';

/** The API on the real engine with every shipped plugin, in a temp data dir. */
export interface RealEngineApp {
  app: Hono;
  engine: Engine;
  repository: Repository;
  registry: PluginRegistry;
  dataDir: string;
  close(): Promise<void>;
}

/** Real engine, every shipped plugin, in-memory repository, files under a temp data dir. */
export async function createRealEngineDeps(): Promise<Omit<RealEngineApp, 'app'>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'windhover-server-engine-'));
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

export async function createRealEngineApp(): Promise<RealEngineApp> {
  const deps = await createRealEngineDeps();
  return { ...deps, app: createApp(deps) };
}

/** An offline RAG flow: ingests two inline documents with the local model, then answers `question` with sources. */
export const OFFLINE_RAG_FLOW = `id: handbook_qa
namespace: company.ai
description: Answers questions about the handbook, offline
inputs:
  - id: question
    type: STRING
tasks:
  - id: ingest
    type: io.kestra.plugin.ai.rag.IngestDocument
    provider:
      type: io.windhover.plugin.ai.provider.Local
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    fromDocuments:
      - content: Employees get twenty-five days of paid vacation per year.
        metadata:
          title: Vacation policy
      - content: The office is closed on public holidays and opens at eight in the morning.
        metadata:
          title: Office hours
  - id: chat
    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.windhover.plugin.ai.provider.Local
    embeddingProvider:
      type: io.windhover.plugin.ai.provider.Local
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    prompt: "{{ inputs.question }}"
triggers:
  - id: api
    type: io.kestra.plugin.core.trigger.Webhook
    key: handbook-key
    returnOutputs: true
outputs:
  - id: answer
    type: STRING
    value: "{{ outputs.chat.textOutput }}"
`;
