import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { assertTask } from './assert-task.ts';
import { echoTask } from './echo-task.ts';
import { failTask } from './fail-task.ts';
import { coreTaskPlugins } from './index.ts';
import { logTask } from './log-task.ts';
import { outputValuesTask } from './output-values-task.ts';
import { returnTask } from './return-task.ts';
import { createTestContext, runTask } from './test-context.ts';

const ctx = createTestContext();
after(() => ctx.dispose());

describe('Log', () => {
  test('logs a message at INFO by default', async () => {
    assert.deepEqual(await runTask(logTask, ctx, { message: 'hello' }), {});
    assert.deepEqual(ctx.logs.at(-1), { level: 'INFO', message: 'hello' });
  });

  test('logs each message of a list at the given level', async () => {
    ctx.logs.length = 0;
    await runTask(logTask, ctx, { message: ['one', 'two'], level: 'WARN' });
    assert.deepEqual(ctx.logs, [
      { level: 'WARN', message: 'one' },
      { level: 'WARN', message: 'two' },
    ]);
  });

  test('rejects an unknown level', async () => {
    await assert.rejects(runTask(logTask, ctx, { message: 'x', level: 'LOUD' }));
  });
});

describe('Return and OutputValues', () => {
  test('Return outputs format as value', async () => {
    assert.deepEqual(await runTask(returnTask, ctx, { format: '42' }), { value: '42' });
    assert.deepEqual(await runTask(returnTask, ctx, {}), {});
  });

  test('OutputValues outputs its values', async () => {
    const values = { a: '1', nested: { b: [1, 2] } };
    assert.deepEqual(await runTask(outputValuesTask, ctx, { values }), { values });
  });
});

describe('Fail', () => {
  test('fails with the default message when there is no condition', async () => {
    await assert.rejects(runTask(failTask, ctx, {}), /^Error: Task failure$/);
  });

  test('fails only when the condition is truthy', async () => {
    await assert.rejects(runTask(failTask, ctx, { condition: 'true', errorMessage: 'bad input' }), /bad input/);
    await assert.rejects(runTask(failTask, ctx, { condition: true }), /Task failure/);
    assert.deepEqual(await runTask(failTask, ctx, { condition: 'false' }), {});
    assert.deepEqual(await runTask(failTask, ctx, { condition: '' }), {});
    assert.deepEqual(await runTask(failTask, ctx, { condition: false }), {});
  });
});

describe('Echo', () => {
  test('logs format at the level', async () => {
    await runTask(echoTask, ctx, { format: 'echoed', level: 'DEBUG' });
    assert.deepEqual(ctx.logs.at(-1), { level: 'DEBUG', message: 'echoed' });
  });
});

describe('Assert', () => {
  test('passes when every condition is truthy', async () => {
    const checked = createTestContext({ variables: { inputs: { n: 3 } } });
    assert.deepEqual(await runTask(assertTask, checked, { conditions: ['{{ inputs.n > 1 }}', true, 'yes'] }), {});
    checked.dispose();
  });

  test('names every failed condition', async () => {
    const checked = createTestContext({ variables: { inputs: { n: 3 } } });
    await assert.rejects(
      runTask(assertTask, checked, {
        conditions: ['{{ inputs.n > 5 }}', '{{ inputs.n > 1 }}', false],
        errorMessage: 'n too small',
      }),
      /2 assertion\(s\) failed: '\{\{ inputs.n > 5 \}\}', 'false': n too small/,
    );
    checked.dispose();
  });
});

describe('coreTaskPlugins', () => {
  test('lists every core task once, with an example flow', () => {
    const types = coreTaskPlugins.map((task) => task.type);
    assert.equal(new Set(types).size, types.length);
    assert.ok(types.includes('io.kestra.plugin.core.http.Request'));
    for (const task of coreTaskPlugins) {
      assert.ok(task.examples?.[0]?.code.includes(task.type), `${task.type} has an example using it`);
    }
  });
});
