import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Execution } from '../model/execution.ts';
import { PluginRegistry } from '../plugin/plugin-registry.ts';
import { openRepository } from '../repository/open-repository.ts';
import type { Repository } from '../repository/repository.ts';
import { coreTaskPlugins } from '../tasks/core/index.ts';
import { triggerPlugins } from '../tasks/trigger/index.ts';
import { ManualClock } from './clock.ts';
import { Scheduler } from './scheduler.ts';
import { FakeEngine } from './testing/fake-engine.ts';

const registry = new PluginRegistry().register(...coreTaskPlugins, ...triggerPlugins);

function flow(id: string, triggers: string, namespace = 'company.team'): string {
  return `id: ${id}\nnamespace: ${namespace}\ntriggers:\n${triggers}\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`;
}

function schedule(cron: string, extra = ''): string {
  return `  - id: sched\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: "${cron}"\n${extra}`;
}

describe('Scheduler', () => {
  let dataDir: string;
  let repository: Repository;
  let clock: ManualClock;
  let engine: FakeEngine;
  let errors: string[];
  let scheduler: Scheduler;

  const newScheduler = () => new Scheduler({ repository, engine, registry, clock, onError: (m) => errors.push(m) });
  const save = (id: string, triggers: string) =>
    repository.flows.save({ namespace: 'company.team', id, source: flow(id, triggers) });
  const dates = () => engine.created.map((e) => e.scheduleDate);
  const at = async (date: string) => {
    clock.set(date);
    await scheduler.tick();
  };

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wh-scheduler-'));
    repository = await openRepository({ dataDir });
    clock = new ManualClock('2026-01-05T10:30:00Z');
    engine = new FakeEngine(repository, clock);
    errors = [];
    scheduler = newScheduler();
  });
  afterEach(async () => {
    await scheduler.stop();
    await repository.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('fires when due with trigger.date/next/previous, and never overlaps a running execution', async () => {
    await save(
      'hourly',
      schedule('0 * * * *', '    inputs:\n      when: "{{ trigger.date }}"\n    labels:\n      source: cron\n'),
    );
    await scheduler.syncFlows();
    await at('2026-01-05T10:59:59Z');
    assert.equal(engine.created.length, 0);
    await at('2026-01-05T11:00:00Z');
    assert.deepEqual(dates(), ['2026-01-05T11:00:00.000Z']);
    const [first] = engine.created;
    assert.deepEqual(first?.trigger, {
      id: 'sched',
      type: 'io.kestra.plugin.core.trigger.Schedule',
      variables: { date: '2026-01-05T11:00:00Z', next: '2026-01-05T12:00:00Z', previous: '2026-01-05T10:00:00Z' },
    });
    assert.deepEqual(first?.inputs, { when: '2026-01-05T11:00:00Z' });
    assert.deepEqual(first?.labels, [
      { key: 'source', value: 'cron' },
      { key: 'system.correlationId', value: first?.id },
    ]);
    await at('2026-01-05T12:00:00Z');
    await at('2026-01-05T12:00:30Z');
    assert.equal(engine.created.length, 1, 'the 12:00 run waits for the 11:00 one');
    await engine.finish(first?.id ?? '');
    await at('2026-01-05T12:00:40Z');
    assert.deepEqual(dates(), ['2026-01-05T11:00:00.000Z', '2026-01-05T12:00:00.000Z']);
    const [state] = await repository.triggers.list({ flowId: 'hourly' });
    assert.equal(state?.lastDate, '2026-01-05T12:00:00.000Z');
    assert.equal(state?.nextDate, '2026-01-05T13:00:00.000Z');
    assert.equal(state?.runningExecutionId, engine.created[1]?.id);
  });

  test('withSeconds schedules and time zones', async () => {
    await save('seconds', schedule('*/10 * * * * *', '    withSeconds: true\n    recoverMissedSchedules: LAST\n'));
    await save('paris', schedule('0 12 * * *', '    timezone: Europe/Paris\n'));
    await scheduler.syncFlows();
    await at('2026-01-05T10:30:10Z');
    await engine.finishAll();
    await at('2026-01-05T10:30:20Z');
    await engine.finishAll();
    await at('2026-01-05T11:00:00Z');
    const paris = engine.created.filter((e) => e.flowId === 'paris');
    assert.deepEqual(
      paris.map((e) => e.scheduleDate),
      ['2026-01-05T11:00:00.000Z'],
    );
    assert.equal(paris[0]?.trigger?.variables.date, '2026-01-05T12:00:00+01:00');
    assert.deepEqual(
      engine.created.filter((e) => e.flowId === 'seconds').map((e) => e.scheduleDate),
      ['2026-01-05T10:30:10.000Z', '2026-01-05T10:30:20.000Z', '2026-01-05T11:00:00.000Z'],
    );
  });

  test('a DST change: the daily 02:30 Paris run happens at 03:00 on the spring-forward day', async () => {
    clock.set('2026-03-28T12:00:00Z');
    await save('dst', schedule('30 2 * * *', '    timezone: Europe/Paris\n'));
    await scheduler.syncFlows();
    await at('2026-03-29T00:59:00Z');
    assert.equal(engine.created.length, 0);
    await at('2026-03-29T01:00:00Z');
    assert.equal(engine.created[0]?.trigger?.variables.date, '2026-03-29T03:00:00+02:00');
  });

  for (const [policy, expected] of [
    ['ALL', ['2026-01-06T03:00:00.000Z', '2026-01-07T03:00:00.000Z', '2026-01-08T03:00:00.000Z']],
    ['LAST', ['2026-01-08T03:00:00.000Z']],
    ['NONE', []],
  ] as const) {
    test(`recoverMissedSchedules ${policy} after a 3-day outage`, async () => {
      await save('nightly', schedule('0 3 * * *', `    recoverMissedSchedules: ${policy}\n`));
      await scheduler.syncFlows();
      await scheduler.stop();
      // Down from Jan 5 10:30 to Jan 8 12:00, then a new process starts.
      clock.set('2026-01-08T12:00:00Z');
      scheduler = newScheduler();
      await scheduler.syncFlows();
      for (let i = 0; i < 5; i++) {
        await scheduler.tick();
        await engine.finishAll();
      }
      assert.deepEqual(dates(), expected);
      const [state] = await repository.triggers.list({ flowId: 'nightly' });
      assert.equal(state?.nextDate, '2026-01-09T03:00:00.000Z');
    });
  }

  test('no date fires twice across a restart, including a crash between recording a fire and creating it', async () => {
    await save('hourly', schedule('0 * * * *'));
    await scheduler.syncFlows();
    await at('2026-01-05T11:00:00Z');
    await scheduler.stop();
    scheduler = newScheduler();
    await scheduler.syncFlows();
    await scheduler.tick();
    assert.equal(engine.created.length, 1);

    // Crash after the engine created the execution, before the scheduler recorded it.
    const [state] = await repository.triggers.list({ flowId: 'hourly' });
    assert.ok(state);
    await engine.finishAll();
    clock.set('2026-01-05T12:00:00Z');
    const orphan = await engine.createExecution('company.team', 'hourly', {
      trigger: { id: 'sched', type: 'io.kestra.plugin.core.trigger.Schedule', variables: {} },
      scheduleDate: '2026-01-05T12:00:00.000Z',
    });
    await repository.triggers.save({
      ...state,
      runningExecutionId: undefined,
      pendingDate: '2026-01-05T12:00:00.000Z',
      pendingAt: '2026-01-05T12:00:00.000Z',
      nextDate: '2026-01-05T13:00:00.000Z',
    } as typeof state);
    // Crash after recording a fire, before the engine created anything.
    await save('daily', schedule('0 0 * * *'));
    await scheduler.stop();
    scheduler = newScheduler();
    await scheduler.syncFlows();
    const [daily] = await repository.triggers.list({ flowId: 'daily' });
    await repository.triggers.save({ ...daily, pendingDate: '2026-01-05T00:00:00.000Z' } as typeof state);
    await scheduler.stop();
    clock.set('2026-01-05T12:00:05Z');
    scheduler = newScheduler();
    await scheduler.syncFlows();
    await scheduler.tick();
    await scheduler.tick();
    assert.deepEqual(
      engine.created.map((e) => `${e.flowId} ${e.scheduleDate}`),
      ['hourly 2026-01-05T11:00:00.000Z', 'hourly 2026-01-05T12:00:00.000Z', 'daily 2026-01-05T00:00:00.000Z'],
    );
    const [after] = await repository.triggers.list({ flowId: 'hourly' });
    assert.equal(after?.runningExecutionId, orphan.id, 'the orphan is adopted as the running execution');
  });

  test('flow edits take effect without a restart; deleting a flow stops its triggers', async () => {
    await save('edited', schedule('0 12 * * *'));
    await scheduler.syncFlows();
    await save('edited', schedule('0 11 * * *'));
    await scheduler.syncFlows();
    await at('2026-01-05T11:00:00Z');
    assert.deepEqual(dates(), ['2026-01-05T11:00:00.000Z']);
    await engine.finishAll();
    await repository.flows.delete('company.team', 'edited');
    await scheduler.syncFlows();
    await at('2026-01-06T11:00:00Z');
    assert.equal(engine.created.length, 1);
    assert.deepEqual(await repository.triggers.list({ flowId: 'edited' }), []);
  });

  test('disabled triggers and flows do not fire; stopAfter disables after a failure', async () => {
    await save('off', schedule('0 * * * *', '    disabled: true\n'));
    await repository.flows.save({
      namespace: 'company.team',
      id: 'flowoff',
      source: flow('flowoff', schedule('0 * * * *')),
      disabled: true,
    });
    await save('stopper', schedule('0 * * * *', '    stopAfter: [FAILED]\n'));
    await scheduler.syncFlows();
    await at('2026-01-05T11:00:00Z');
    assert.deepEqual(
      engine.created.map((e) => e.flowId),
      ['stopper'],
    );
    await engine.finish(engine.created[0]?.id ?? '', 'FAILED');
    await at('2026-01-05T12:00:00Z');
    assert.equal(engine.created.length, 1);
    assert.equal((await repository.triggers.get('company.team', 'stopper', 'sched'))?.disabled, true);
    await scheduler.setDisabled('company.team', 'stopper', 'sched', false);
    await at('2026-01-05T13:00:00Z');
    assert.deepEqual(dates(), ['2026-01-05T11:00:00.000Z', '2026-01-05T13:00:00.000Z'], 'resumes at the next date');
    await assert.rejects(scheduler.setDisabled('company.team', 'stopper', 'nope', true), /no trigger 'nope'/);
  });

  test('conditions: Weekend (legacy name), DayWeek and Expression', async () => {
    await save(
      'weekend',
      schedule('0 9 * * *', '    conditions:\n      - type: io.kestra.core.models.conditions.types.WeekendCondition\n'),
    );
    await save(
      'monday',
      schedule(
        '0 9 * * *',
        '    conditions:\n      - type: io.kestra.plugin.core.condition.DayWeek\n        dayOfWeek: MONDAY\n' +
          "      - type: io.kestra.plugin.core.condition.Expression\n        expression: \"{{ trigger.date | date('d') != '12' }}\"\n",
      ),
    );
    await save(
      'hours',
      schedule(
        '0 * * * *',
        '    conditions:\n      - type: io.kestra.plugin.core.condition.TimeBetween\n        after: "10:00"\n        before: "11:00"\n',
      ),
    );
    await scheduler.syncFlows();
    for (let day = 6; day <= 19; day++) {
      await at(`2026-01-${String(day).padStart(2, '0')}T09:00:00Z`);
      await engine.finishAll();
    }
    const byFlow = (id: string) =>
      engine.created.filter((e) => e.flowId === id).map((e) => e.scheduleDate?.slice(0, 10));
    assert.deepEqual(byFlow('weekend'), ['2026-01-10', '2026-01-11', '2026-01-17', '2026-01-18']);
    assert.deepEqual(byFlow('monday'), ['2026-01-19'], 'the Expression skips Monday the 12th');
    assert.deepEqual(errors, []);
  });

  test('Flow triggers chain executions and pass upstream variables', async () => {
    await save('a', schedule('0 * * * *'));
    await save(
      'b',
      '  - id: after_a\n    type: io.kestra.plugin.core.trigger.Flow\n    inputs:\n      upstream: "{{ trigger.executionId }}"\n' +
        '    preconditions:\n      flows:\n        - namespace: company.team\n          flowId: a\n          states: [SUCCESS]\n',
    );
    await save(
      'c',
      '  - id: after_b\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n' +
        '      - type: io.kestra.plugin.core.condition.ExecutionFlow\n        namespace: company.team\n        flowId: b\n',
    );
    await scheduler.syncFlows();
    await at('2026-01-05T11:00:00Z');
    const a = engine.created[0];
    await engine.finish(a?.id ?? '', 'SUCCESS');
    await scheduler.idle();
    const b = engine.created[1];
    assert.equal(b?.flowId, 'b');
    assert.deepEqual(b?.inputs, { upstream: a?.id });
    assert.equal(b?.trigger?.variables.flowId, 'a');
    await engine.finish(b?.id ?? '', 'WARNING');
    await scheduler.idle();
    assert.deepEqual(
      engine.created.map((e) => e.flowId),
      ['a', 'b', 'c'],
    );
    // Executions a Flow trigger starts join the upstream execution's tree.
    const correlation = (e: Execution | undefined) => e?.labels.find((l) => l.key === 'system.correlationId')?.value;
    assert.equal(correlation(a), a?.id);
    assert.equal(correlation(b), a?.id);
    assert.equal(correlation(engine.created[2]), a?.id);
    await engine.finish(engine.created[2]?.id ?? '');
    // A failed run of a does not start b (its precondition wants SUCCESS).
    await at('2026-01-05T12:00:00Z');
    await engine.finish(engine.created[3]?.id ?? '', 'FAILED');
    await scheduler.idle();
    assert.deepEqual(
      engine.created.map((e) => e.flowId),
      ['a', 'b', 'c', 'a'],
    );
  });

  test('backfill runs past dates one at a time, pauses and resumes', async () => {
    await save('nightly', schedule('0 3 * * *', '    inputs:\n      mode: normal\n'));
    await scheduler.syncFlows();
    await scheduler.backfill('company.team', 'nightly', 'sched', {
      start: '2025-12-01T00:00:00Z',
      end: '2025-12-04T00:00:00Z',
      inputs: { mode: 'backfill' },
      labels: [{ key: 'backfill', value: 'true' }],
    });
    await scheduler.tick();
    await scheduler.tick();
    assert.deepEqual(dates(), ['2025-12-01T03:00:00.000Z'], 'one at a time');
    assert.deepEqual(engine.created[0]?.inputs, { mode: 'backfill' });
    await engine.finishAll();
    await scheduler.tick();
    await engine.finishAll();
    await scheduler.pauseBackfill('company.team', 'nightly', 'sched');
    await scheduler.tick();
    assert.equal(engine.created.length, 2);
    await scheduler.resumeBackfill('company.team', 'nightly', 'sched');
    await scheduler.tick();
    await engine.finishAll();
    await scheduler.tick();
    assert.deepEqual(dates(), ['2025-12-01T03:00:00.000Z', '2025-12-02T03:00:00.000Z', '2025-12-03T03:00:00.000Z']);
    assert.equal((await repository.triggers.get('company.team', 'nightly', 'sched'))?.backfill, undefined);
    await assert.rejects(
      scheduler.backfill('company.team', 'nightly', 'nope', { start: '2025-01-01T00:00:00Z' }),
      /no Schedule trigger 'nope'/,
    );
  });

  test('an invalid cron or a failed creation is reported, not thrown', async () => {
    await save('ok', schedule('0 * * * *'));
    await repository.flows.save({
      namespace: 'company.team',
      id: 'bad',
      source: flow('bad', schedule('not a cron')),
    });
    await scheduler.syncFlows();
    assert.match(errors.join('\n'), /bad.*trigger sched: invalid cron 'not a cron'/);
    engine.failNext = 'input x is required';
    await at('2026-01-05T11:00:00Z');
    assert.match(errors.join('\n'), /could not start the execution for 2026-01-05T11:00:00.000Z: input x is required/);
    await at('2026-01-05T12:00:00Z');
    assert.equal(engine.created.length, 1, 'the next date still fires');
  });
});

describe('Scheduler in the background', () => {
  test('start() fires a per-second schedule on the system clock until stop(), each second once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wh-scheduler-bg-'));
    const repository = await openRepository({ dataDir });
    const engine = new FakeEngine(repository, { now: () => new Date() });
    const errors: string[] = [];
    const scheduler = new Scheduler({ repository, engine, registry, onError: (m) => errors.push(m) });
    try {
      await repository.flows.save({
        namespace: 'company.team',
        id: 'tick',
        source: flow('tick', schedule('* * * * * *', '    withSeconds: true\n')),
      });
      await scheduler.start({ tickMs: 200 });
      let finishing: Promise<void> = Promise.resolve();
      const finisher = setInterval(() => {
        finishing = finishing.then(() => engine.finishAll());
      }, 50);
      for (let i = 0; i < 200 && engine.created.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
      clearInterval(finisher);
      await finishing;
      await scheduler.stop();
      const dates = engine.created.map((e) => Date.parse(e.scheduleDate ?? ''));
      assert.ok(dates.length >= 3, `expected 3 fires, got ${dates.length}`);
      assert.equal(new Set(dates).size, dates.length, 'no second fires twice');
      for (let i = 1; i < dates.length; i++) assert.ok((dates[i] ?? 0) > (dates[i - 1] ?? 0));
      assert.deepEqual(errors, []);
    } finally {
      await repository.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
