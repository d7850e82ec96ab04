import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InputValidationError } from '../flow/inputs.ts';
import { createHarness, type Harness } from './testing/engine-harness.ts';
import { attemptStates, outputsOf, taskIdsOf, taskRunOf, taskRunsOf } from './testing/task-runs.ts';

describe('engine', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness({ secrets: { API_TOKEN: 'tok-very-secret-123' } });
  });
  after(() => h.close());

  test('runs tasks in order, passes outputs through templates, and records everything', async () => {
    const execution = await h.run(`id: two_tasks
namespace: company.team
inputs:
  - id: name
    type: STRING
    defaults: world
tasks:
  - id: first
    type: io.windhover.test.Echo
    value: "hello {{ inputs.name }}"
  - id: second
    type: io.windhover.test.Echo
    value: "{{ outputs.first.value | upper }}"
    log: "got {{ outputs.first.value }}"
`);
    assert.equal(execution.state.current, 'SUCCESS');
    assert.deepEqual(outputsOf(execution, 'second').value, 'HELLO WORLD');
    const stored = await h.repository.executions.get(execution.id);
    assert.equal(stored?.state.current, 'SUCCESS');
    assert.deepEqual(
      stored?.state.histories.map((entry) => entry.state),
      ['CREATED', 'RUNNING', 'SUCCESS'],
    );
    assert.ok(await h.logged(execution.id, 'got hello world'));
  });

  test('rejects invalid inputs before creating an execution, listing every one', async () => {
    await h.save(`id: typed_inputs
namespace: company.team
inputs:
  - id: count
    type: INT
    max: 5
  - id: flag
    type: BOOLEAN
tasks:
  - id: t
    type: io.windhover.test.Echo
`);
    const before = (await h.repository.executions.search({ flowId: 'typed_inputs' })).total;
    await assert.rejects(
      h.engine.createExecution('company.team', 'typed_inputs', { inputs: { count: '9', flag: 'maybe' } }),
      (error: unknown) => {
        assert.ok(error instanceof InputValidationError);
        assert.deepEqual(error.violations.map((violation) => violation.input).sort(), ['count', 'flag']);
        return true;
      },
    );
    assert.equal((await h.repository.executions.search({ flowId: 'typed_inputs' })).total, before);
  });

  test('retries a failing task per its policy, each attempt recorded', async () => {
    const execution = await h.run(`id: retried
namespace: company.team
tasks:
  - id: flaky
    type: io.windhover.test.Echo
    key: flaky-1
    failTimes: 2
    value: ok
    retry:
      type: constant
      interval: PT0.01S
      maxAttempt: 3
`);
    assert.equal(execution.state.current, 'SUCCESS');
    const flaky = taskRunOf(execution, 'flaky');
    assert.equal(flaky.attempts.length, 3);
    assert.deepEqual(attemptStates(flaky), ['FAILED', 'FAILED', 'SUCCESS']);
    assert.equal(flaky.outputs?.attempt, 3);
  });

  test('gives up after maxAttempts, and warningOnRetry marks a late success WARNING', async () => {
    const failed = await h.run(`id: exhausted
namespace: company.team
tasks:
  - id: flaky
    type: io.windhover.test.Echo
    key: flaky-2
    failTimes: 5
    retry: { type: exponential, interval: PT0.01S, maxInterval: PT0.02S, maxAttempts: 2 }
`);
    assert.equal(failed.state.current, 'FAILED');
    assert.equal(taskRunOf(failed, 'flaky').attempts.length, 2);
    const warned = await h.run(`id: warned
namespace: company.team
tasks:
  - id: flaky
    type: io.windhover.test.Echo
    key: flaky-3
    failTimes: 1
    retry: { type: constant, interval: PT0.01S, maxAttempts: 3, warningOnRetry: true }
`);
    assert.equal(taskRunOf(warned, 'flaky').state.current, 'WARNING');
    assert.equal(warned.state.current, 'WARNING');
  });

  test('never retries an invalid property', async () => {
    const execution = await h.run(`id: invalid_property
namespace: company.team
tasks:
  - id: bad
    type: io.windhover.test.Echo
    failTimes: "{{ 'many' }}"
    retry: { type: constant, interval: PT0.01S, maxAttempts: 3 }
`);
    assert.equal(execution.state.current, 'FAILED');
    const bad = taskRunOf(execution, 'bad');
    assert.equal(bad.attempts.length, 1);
    assert.match(bad.attempts[0]?.error?.message ?? '', /failTimes/);
  });

  test('a timeout aborts the attempt and fails it with a timeout error', async () => {
    const execution = await h.run(`id: timed_out
namespace: company.team
tasks:
  - id: slow
    type: io.windhover.test.Wait
    ms: 60000
    timeout: PT0.1S
`);
    assert.equal(execution.state.current, 'FAILED');
    assert.match(taskRunOf(execution, 'slow').attempts[0]?.error?.message ?? '', /timeout of PT0.1S/);
  });

  test('If, Switch, Sequential with errors, allowFailure and runIf', async () => {
    const execution = await h.run(`id: branches
namespace: company.team
inputs:
  - id: kind
    type: STRING
    defaults: b
tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.kind == 'b' }}"
    then:
      - id: yes
        type: io.windhover.test.Echo
    else:
      - id: no
        type: io.windhover.test.Echo
  - id: pick
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.kind }}"
    cases:
      a:
        - id: case_a
          type: io.windhover.test.Echo
      b:
        - id: case_b
          type: io.windhover.test.Echo
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    allowFailure: true
    tasks:
      - id: breaks
        type: io.windhover.test.Fail
    errors:
      - id: handler
        type: io.windhover.test.Echo
        value: "handled"
  - id: skipped
    type: io.windhover.test.Echo
    runIf: "{{ inputs.kind == 'z' }}"
  - id: last
    type: io.windhover.test.Echo
`);
    const ids = taskIdsOf(execution);
    assert.ok(ids.includes('yes') && !ids.includes('no'));
    assert.ok(ids.includes('case_b') && !ids.includes('case_a'));
    assert.equal(taskRunOf(execution, 'handler').state.current, 'SUCCESS');
    assert.equal(taskRunOf(execution, 'group').state.current, 'FAILED');
    assert.equal(taskRunOf(execution, 'skipped').state.current, 'SKIPPED');
    assert.equal(taskRunOf(execution, 'last').state.current, 'SUCCESS');
    assert.equal(execution.state.current, 'WARNING');
  });

  test('ForEach runs once per value, outputs keyed by value; Parallel runs children together', async () => {
    const execution = await h.run(`id: loops
namespace: company.team
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b", "c"]
    concurrencyLimit: 2
    tasks:
      - id: inner
        type: io.windhover.test.Echo
        value: "v-{{ taskrun.value }}"
  - id: after_loop
    type: io.windhover.test.Echo
    value: "{{ outputs.inner['b'].value }}"
  - id: together
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: p1
        type: io.windhover.test.Wait
        ms: 50
      - id: p2
        type: io.windhover.test.Wait
        ms: 50
`);
    assert.equal(execution.state.current, 'SUCCESS');
    const inner = taskRunsOf(execution, 'inner');
    assert.deepEqual(inner.map((taskRun) => taskRun.value).sort(), ['a', 'b', 'c']);
    assert.equal(outputsOf(execution, 'after_loop').value, 'v-b');
    const [p1, p2] = [taskRunOf(execution, 'p1'), taskRunOf(execution, 'p2')];
    assert.ok(Date.parse(p1.state.startDate) < Date.parse(p2.state.endDate ?? ''));
    assert.ok(Date.parse(p2.state.startDate) < Date.parse(p1.state.endDate ?? ''));
  });

  test('a 100-value ForEach completes', async () => {
    const values = JSON.stringify(Array.from({ length: 100 }, (_, i) => `v${i}`));
    const execution = await h.run(`id: big_loop
namespace: company.team
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: '${values}'
    tasks:
      - id: inner
        type: io.windhover.test.Echo
`);
    assert.equal(execution.state.current, 'SUCCESS');
    assert.equal(taskRunsOf(execution, 'inner').length, 100);
  });

  test('flow errors, finally, afterExecution and flow outputs', async () => {
    const failed = await h.run(`id: lifecycle
namespace: company.team
tasks:
  - id: breaks
    type: io.windhover.test.Fail
    message: "disk full"
errors:
  - id: on_error
    type: io.windhover.test.Echo
finally:
  - id: cleanup
    type: io.windhover.test.Echo
afterExecution:
  - id: notify
    type: io.windhover.test.Echo
    value: "{{ execution.state }}"
`);
    assert.equal(failed.state.current, 'FAILED');
    assert.equal(taskRunOf(failed, 'on_error').state.current, 'SUCCESS');
    assert.equal(taskRunOf(failed, 'cleanup').state.current, 'SUCCESS');
    assert.equal(outputsOf(failed, 'notify').value, 'FAILED');
    assert.ok(await h.logged(failed.id, 'disk full'));

    const ok = await h.run(`id: with_outputs
namespace: company.team
tasks:
  - id: compute
    type: io.windhover.test.Echo
    value: 42
outputs:
  - id: answer
    type: STRING
    value: "{{ outputs.compute.value }}"
`);
    assert.deepEqual(ok.outputs, { answer: '42' });
  });

  test('Subflow waits for its child and brings its outputs back; a failed child fails it', async () => {
    await h.save(`id: child
namespace: company.team
inputs:
  - id: n
    type: INT
tasks:
  - id: work
    type: io.windhover.test.Echo
    value: "{{ inputs.n * 2 }}"
outputs:
  - id: doubled
    type: STRING
    value: "{{ outputs.work.value }}"
`);
    const parent = await h.run(`id: parent
namespace: company.team
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: child
    inputs:
      n: 21
  - id: use
    type: io.windhover.test.Echo
    value: "{{ outputs.call.outputs.doubled }}"
`);
    assert.equal(parent.state.current, 'SUCCESS');
    assert.equal(outputsOf(parent, 'use').value, '42');
    const child = await h.repository.executions.get(String(outputsOf(parent, 'call').executionId));
    assert.equal(child?.parentId, parent.id);

    const failing = await h.run(`id: parent_of_missing_input
namespace: company.team
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: child
`);
    assert.equal(failing.state.current, 'FAILED');
  });

  test('Pause waits for a resume', async () => {
    const created = await h.start(`id: paused
namespace: company.team
tasks:
  - id: wait_here
    type: io.kestra.plugin.core.flow.Pause
  - id: after_pause
    type: io.windhover.test.Echo
`);
    await h.waitUntil(created.id, (execution) => execution.state.current === 'PAUSED');
    const done = await h.resume(created.id);
    assert.equal(done.state.current, 'SUCCESS');
    assert.equal(taskRunOf(done, 'after_pause').state.current, 'SUCCESS');
  });

  test('kill aborts the running attempt and ends KILLED', async () => {
    const created = await h.start(`id: to_kill
namespace: company.team
tasks:
  - id: long
    type: io.windhover.test.Wait
    ms: 60000
  - id: never
    type: io.windhover.test.Echo
`);
    await h.waitUntil(created.id, (execution) =>
      taskRunsOf(execution, 'long').some((taskRun) => taskRun.state.current === 'RUNNING'),
    );
    await h.engine.kill(created.id);
    const done = await h.engine.waitForTerminal(created.id);
    assert.equal(done.state.current, 'KILLED');
    assert.equal(taskRunOf(done, 'long').state.current, 'KILLED');
    assert.ok(!taskIdsOf(done).includes('never'));
  });

  test('restart runs the failed task again and keeps the successful ones; replay makes a new execution', async () => {
    const flow = `id: restartable
namespace: company.team
tasks:
  - id: ok_first
    type: io.windhover.test.Echo
    key: restart-ok
  - id: flaky
    type: io.windhover.test.Echo
    key: restart-flaky
    failTimes: 1
`;
    const failed = await h.run(flow);
    assert.equal(failed.state.current, 'FAILED');
    const restarted = await h.restart(failed.id);
    assert.equal(restarted.state.current, 'SUCCESS');
    assert.equal(restarted.id, failed.id);
    assert.equal(taskRunsOf(restarted, 'ok_first').length, 1);
    assert.ok(restarted.state.histories.some((entry) => entry.state === 'RESTARTED'));

    const flakyRun = taskRunOf(restarted, 'flaky');
    const replayed = await h.replay(restarted.id, flakyRun.id);
    assert.notEqual(replayed.id, restarted.id);
    assert.equal(replayed.originalId, restarted.id);
    assert.equal(replayed.state.current, 'SUCCESS');
    assert.equal(taskRunOf(replayed, 'ok_first').id, taskRunOf(restarted, 'ok_first').id);
  });

  test('secret values are masked in logs and outputs and never stored', async () => {
    const execution = await h.run(`id: uses_secret
namespace: company.team
tasks:
  - id: leak
    type: io.windhover.test.Echo
    value: "token={{ secret('api_token') }}"
    log: "calling with {{ secret('API_TOKEN') }}"
`);
    assert.equal(execution.state.current, 'SUCCESS');
    assert.equal(outputsOf(execution, 'leak').value, 'token=******');
    const logs = (await h.logs(execution.id)).join('\n');
    assert.ok(logs.includes('calling with ******'));
    assert.ok(!logs.includes('tok-very-secret-123'));
    const stored = JSON.stringify(await h.repository.executions.get(execution.id));
    assert.ok(!stored.includes('tok-very-secret-123'));

    const missing = await h.run(`id: missing_secret
namespace: company.team
tasks:
  - id: t
    type: io.windhover.test.Echo
    value: "{{ secret('NOPE') }}"
`);
    assert.equal(missing.state.current, 'FAILED');
    assert.match(taskRunOf(missing, 't').attempts[0]?.error?.message ?? '', /SECRET_NOPE/);
  });

  test('SECRET inputs are usable by tasks but stored encrypted', async () => {
    const execution = await h.run(
      `id: secret_input
namespace: company.team
inputs:
  - id: password
    type: SECRET
tasks:
  - id: t
    type: io.windhover.test.Echo
    log: "length {{ inputs.password | length }}"
`,
      { inputs: { password: 'hunter2-hunter2' } },
    );
    assert.equal(execution.state.current, 'SUCCESS');
    assert.ok(await h.logged(execution.id, 'length 15'));
    assert.ok(!JSON.stringify(await h.repository.executions.get(execution.id)).includes('hunter2-hunter2'));
  });

  test('concurrency limit queues, cancels or fails extra executions', async () => {
    const flow = (behavior: string) => `id: limited_${behavior.toLowerCase()}
namespace: company.team
concurrency:
  limit: 1
  behavior: ${behavior}
tasks:
  - id: hold
    type: io.windhover.test.Wait
    ms: 150
`;
    for (const behavior of ['QUEUE', 'CANCEL', 'FAIL']) {
      const { namespace, id } = await h.save(flow(behavior));
      const first = await h.engine.createExecution(namespace, id);
      const second = await h.engine.createExecution(namespace, id);
      const [a, b] = await Promise.all([h.engine.waitForTerminal(first.id), h.engine.waitForTerminal(second.id)]);
      assert.equal(a.state.current, 'SUCCESS');
      const expected = behavior === 'QUEUE' ? 'SUCCESS' : behavior === 'CANCEL' ? 'CANCELLED' : 'FAILED';
      assert.equal(b.state.current, expected, behavior);
      if (behavior === 'QUEUE') assert.ok(b.state.histories.some((entry) => entry.state === 'QUEUED'));
    }
  });
});
