import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openRepository } from '../repository/open-repository.ts';
import type { Repository } from '../repository/repository.ts';
import { startServer } from './start-server.ts';
import { fakeEngine } from './testing/fake-engine.ts';
import { HELLO_FLOW } from './testing/test-app.ts';
import { createTestRegistry } from './testing/test-registry.ts';

describe('startServer', () => {
  const registry = createTestRegistry();
  let repository: Repository;
  let engine: ReturnType<typeof fakeEngine>;
  let dataDir: string;
  let server: { url: string; close(): Promise<void> };
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'windhover-start-'));
    repository = await openRepository({ dataDir });
    engine = fakeEngine(repository, registry, { stepMs: 200 });
    server = await startServer({ repository, engine, registry, dataDir, host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await engine.idle();
    await repository.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('refuses a non-loopback address without credentials and says how to set them', async () => {
    const saved = process.env.WINDHOVER_BASIC_AUTH;
    delete process.env.WINDHOVER_BASIC_AUTH;
    try {
      await assert.rejects(
        startServer({ repository, engine, registry, dataDir, host: '0.0.0.0', port: 0 }),
        /WINDHOVER_BASIC_AUTH=user:password/,
      );
    } finally {
      if (saved !== undefined) process.env.WINDHOVER_BASIC_AUTH = saved;
    }
  });

  test('serves the API over real HTTP, and clients that drop an SSE stream do not break the server', async () => {
    const created = await fetch(`${server.url}/api/v1/main/flows`, {
      method: 'POST',
      body: HELLO_FLOW,
      headers: { 'content-type': 'application/x-yaml' },
    });
    assert.equal(created.status, 200);
    const execution = (await (
      await fetch(`${server.url}/api/v1/main/executions/company.team/hello`, {
        method: 'POST',
        body: JSON.stringify({ name: 'x' }),
        headers: { 'content-type': 'application/json' },
      })
    ).json()) as { id: string };
    for (const path of [`executions/${execution.id}/follow`, `logs/${execution.id}/follow`]) {
      const controller = new AbortController();
      const response = await fetch(`${server.url}/api/v1/main/${path}`, { signal: controller.signal });
      const reader = response.body!.getReader();
      await reader.read();
      controller.abort();
      await reader.read().catch(() => undefined);
    }
    const done = await fetch(`${server.url}/api/v1/main/executions/${execution.id}/follow`);
    assert.match(await done.text(), /"current":"SUCCESS"/);
    const health = await fetch(`${server.url}/api/v1/main/flows/search`);
    assert.equal(health.status, 200);
  });

  test('unknown non-API paths get the single-page app (or a hint to build it)', async () => {
    const response = await fetch(`${server.url}/executions/some-id`);
    assert.ok([200, 503].includes(response.status));
    if (response.status === 503) assert.match(await response.text(), /build:ui/);
    else assert.match(await response.text(), /<div id="root">/);
  });
});
