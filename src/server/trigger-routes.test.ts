import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../scheduler/clock.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { createApp } from './create-app.ts';
import type { TriggerScheduler } from './server-deps.ts';
import { createTestDeps, type TestDeps } from './testing/test-app.ts';

const API = '/api/v1/main';
const FLOW = `id: nightly
namespace: company.ops
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "run for {{ trigger.date ?? 'manual' }}"
triggers:
  - id: every_night
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 3 * * *"
    timezone: UTC
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: nightly-key
`;

interface TriggerList {
  total: number;
  results: { id: string; type: string; nextDate?: string; webhookPath?: string; backfill?: { paused: boolean } }[];
  capabilities: { backfill: boolean; disable: boolean };
}

describe('triggers API with the scheduler', () => {
  let deps: TestDeps;
  let app: ReturnType<typeof createApp>;
  before(async () => {
    deps = await createTestDeps();
    const scheduler: TriggerScheduler = new Scheduler({
      repository: deps.repository,
      engine: deps.engine,
      registry: deps.registry,
      clock: new ManualClock('2026-06-01T12:00:00Z'),
      onError: () => {},
    });
    app = createApp({ ...deps, scheduler });
    const created = await app.request(`${API}/flows`, {
      method: 'POST',
      body: FLOW,
      headers: { 'content-type': 'application/x-yaml' },
    });
    assert.equal(created.status, 200, await created.clone().text());
  });
  after(() => deps.close());

  const list = async () =>
    (await (await app.request(`${API}/triggers/search?namespace=company.ops`)).json()) as TriggerList;

  test('lists every trigger with its next date, and the webhook path', async () => {
    const found = await list();
    assert.equal(found.total, 2);
    assert.equal(found.capabilities.backfill, true);
    const schedule = found.results.find((t) => t.id === 'every_night');
    assert.equal(schedule?.nextDate, '2026-06-02T03:00:00.000Z');
    const hook = found.results.find((t) => t.id === 'hook');
    assert.equal(hook?.webhookPath, `${API}/executions/webhook/company.ops/nightly/nightly-key`);
  });

  test('a backfill can be started, paused, resumed and cancelled', async () => {
    const url = `${API}/triggers/company.ops/nightly/every_night/backfill`;
    const started = await app.request(url, {
      method: 'POST',
      body: JSON.stringify({ start: '2026-05-01T00:00:00Z', end: '2026-05-03T00:00:00Z' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(started.status, 200, await started.clone().text());
    assert.equal(((await started.json()) as { currentDate: string }).currentDate, '2026-05-01T03:00:00.000Z');
    assert.equal((await app.request(`${url}/pause`, { method: 'POST' })).status, 200);
    assert.equal((await list()).results.find((t) => t.id === 'every_night')?.backfill?.paused, true);
    assert.equal((await app.request(`${url}/unpause`, { method: 'POST' })).status, 200);
    assert.equal((await list()).results.find((t) => t.id === 'every_night')?.backfill?.paused, false);
    assert.equal((await app.request(`${url}/delete`, { method: 'POST' })).status, 200);
    assert.equal((await list()).results.find((t) => t.id === 'every_night')?.backfill, undefined);
  });

  test('bad backfills are refused with a reason', async () => {
    const post = (path: string, body: unknown) =>
      app.request(`${API}/triggers/${path}/backfill`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    assert.equal((await post('company.ops/nightly/nope', { start: '2026-05-01T00:00:00Z' })).status, 404);
    assert.equal((await post('company.ops/nightly/every_night', { start: 'yesterday' })).status, 400);
    const reversed = await post('company.ops/nightly/every_night', {
      start: '2026-05-03T00:00:00Z',
      end: '2026-05-01T00:00:00Z',
    });
    assert.equal(reversed.status, 400);
    assert.match(((await reversed.json()) as { message: string }).message, /start must be a date before end/);
  });
});
