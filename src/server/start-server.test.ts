import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from './start-server.ts';
import { createTestDeps, type TestDeps } from './testing/test-app.ts';

/** Long enough that both streams are still open when the clients drop them. */
const SLOW_FLOW = `id: slow
namespace: company.team
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: started
  - id: wait
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT1S
`;

describe('startServer', () => {
  let deps: TestDeps;
  let server: { url: string; close(): Promise<void> };
  before(async () => {
    deps = await createTestDeps();
    server = await startServer({ ...deps, host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await deps.close();
  });

  test('refuses a non-loopback address without credentials and says how to set them', async () => {
    const saved = process.env.WINDHOVER_BASIC_AUTH;
    delete process.env.WINDHOVER_BASIC_AUTH;
    try {
      await assert.rejects(startServer({ ...deps, host: '0.0.0.0', port: 0 }), /WINDHOVER_BASIC_AUTH=user:password/);
    } finally {
      if (saved !== undefined) process.env.WINDHOVER_BASIC_AUTH = saved;
    }
  });

  test('serves the API over real HTTP, and clients that drop an SSE stream do not break the server', async () => {
    const created = await fetch(`${server.url}/api/v1/main/flows`, {
      method: 'POST',
      body: SLOW_FLOW,
      headers: { 'content-type': 'application/x-yaml' },
    });
    assert.equal(created.status, 200);
    const execution = (await (
      await fetch(`${server.url}/api/v1/main/executions/company.team/slow`, {
        method: 'POST',
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
