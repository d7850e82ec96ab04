import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, test } from 'node:test';
import { createHarness } from '../engine/testing/engine-harness.ts';
import { createDefaultRegistry } from '../plugins.ts';
import { Scheduler } from './scheduler.ts';

const extract = `id: extract
namespace: company.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: extracted
`;

const answer = `id: answer
namespace: company.team
triggers:
  - id: after_extract
    type: io.kestra.plugin.core.trigger.Flow
    preconditions:
      flows:
        - namespace: company.team
          flowId: extract
          states: [SUCCESS]
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "answering {{ trigger.executionId }}"
`;

describe('Flow trigger catch-up with the real engine', () => {
  test('an upstream run while no scheduler ran starts its downstream at the next start; later runs fire once each', async () => {
    const h = await createHarness();
    const registry = createDefaultRegistry();
    const errors: string[] = [];
    const newScheduler = () =>
      new Scheduler({
        repository: h.repository,
        engine: h.engine,
        registry,
        onError: (m) => errors.push(m),
        onLog: () => {},
      });
    const firedFor = async () => {
      const page = await h.repository.executions.search({ namespace: 'company.team', flowId: 'answer', size: 100 });
      return page.results.map((e) => e.trigger?.variables.executionId).sort();
    };
    try {
      await h.engine.start();
      await h.save(answer);
      const missed = await h.run(extract);
      assert.equal(missed.state.current, 'SUCCESS');

      const scheduler = newScheduler();
      await scheduler.start();
      await scheduler.idle();
      assert.deepEqual(await firedFor(), [missed.id]);

      const live = await h.run(extract);
      await scheduler.idle();
      assert.deepEqual(await firedFor(), [missed.id, live.id].sort());
      await scheduler.stop();

      const restarted = newScheduler();
      await restarted.start();
      await restarted.idle();
      await restarted.stop();
      assert.deepEqual(await firedFor(), [missed.id, live.id].sort());
      assert.deepEqual(errors, []);
    } finally {
      await h.close();
      rmSync(h.dataDir, { recursive: true, force: true });
    }
  });
});
