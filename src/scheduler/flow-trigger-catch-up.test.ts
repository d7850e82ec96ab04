import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Execution } from '../model/execution.ts';
import { transition } from '../model/state.ts';
import { PluginRegistry } from '../plugin/plugin-registry.ts';
import { openRepository } from '../repository/open-repository.ts';
import type { Repository } from '../repository/repository.ts';
import { coreTaskPlugins } from '../tasks/core/index.ts';
import { triggerPlugins } from '../tasks/trigger/index.ts';
import { ManualClock } from './clock.ts';
import { Scheduler } from './scheduler.ts';
import { FakeEngine } from './testing/fake-engine.ts';
import type { SchedulerTriggerState } from './trigger-state.ts';

const registry = new PluginRegistry().register(...coreTaskPlugins, ...triggerPlugins);
const NS = 'company.team';
const MINUTE = 60_000;

function flow(id: string, triggers = ''): string {
  const triggerBlock = triggers ? `triggers:\n${triggers}` : '';
  return `id: ${id}\nnamespace: ${NS}\n${triggerBlock}tasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`;
}

/** A Flow trigger on flow `upstream`, passing its execution id and an output as inputs. */
const afterFlow = (upstream: string) =>
  '  - id: after_upstream\n    type: io.kestra.plugin.core.trigger.Flow\n' +
  '    inputs:\n      upstream: "{{ trigger.executionId }}"\n      answer: "{{ trigger.outputs.answer }}"\n' +
  `    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionFlow\n        namespace: ${NS}\n        flowId: ${upstream}\n`;

const bothFlows =
  '  - id: after_both\n    type: io.kestra.plugin.core.trigger.Flow\n' +
  '    preconditions:\n      flows:\n' +
  `        - namespace: ${NS}\n          flowId: extract\n          states: [SUCCESS]\n` +
  `        - namespace: ${NS}\n          flowId: enrich\n          states: [SUCCESS]\n`;

describe('Flow triggers catch up on executions that ended while no scheduler ran', () => {
  let dataDir: string;
  let repository: Repository;
  let clock: ManualClock;
  let engine: FakeEngine;
  let errors: string[];
  let logs: string[];
  const running = new Set<Scheduler>();

  /** Starts a scheduler (as `windhover server` does) and waits for its catch-up. */
  const startScheduler = async () => {
    const scheduler = new Scheduler({
      repository,
      engine,
      registry,
      clock,
      onError: (m) => errors.push(m),
      onLog: (m) => logs.push(m),
    });
    running.add(scheduler);
    await scheduler.start({ syncMs: 3_600_000 });
    await scheduler.idle();
    return scheduler;
  };
  const stopScheduler = async (scheduler: Scheduler) => {
    await scheduler.stop();
    running.delete(scheduler);
  };
  const save = (id: string, triggers = '') => repository.flows.save({ namespace: NS, id, source: flow(id, triggers) });
  /** Runs flow `id` to `state` with no scheduler watching unless one is running. */
  const runFlow = async (id: string, state: 'SUCCESS' | 'FAILED' = 'SUCCESS', outputs = { answer: 1 }) => {
    const execution = await engine.createExecution(NS, id);
    clock.advance(MINUTE);
    return engine.finish(execution.id, state, outputs);
  };
  const started = (flowId: string) => engine.created.filter((e) => e.flowId === flowId);
  /** The upstream execution ids the executions of `flowId` were started for. */
  const firedFor = (flowId: string) => started(flowId).map((e) => e.trigger?.variables.executionId);
  /** Flow `answer` follows `extract`, and a scheduler has seen its trigger, then stopped. */
  const answerAfterExtractSeen = async () => {
    await save('extract');
    await save('answer', afterFlow('extract'));
    await stopScheduler(await startScheduler());
  };
  const correlation = (e: Execution | undefined) => e?.labels.find((l) => l.key === 'system.correlationId')?.value;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wh-flow-catch-up-'));
    repository = await openRepository({ dataDir });
    // Behind the wall clock: flow revisions (saved on the wall clock) are newer than the test's dates.
    clock = new ManualClock(new Date(Date.now() - 24 * 60 * MINUTE));
    engine = new FakeEngine(repository, clock);
    errors = [];
    logs = [];
  });
  afterEach(async () => {
    for (const scheduler of running) await scheduler.stop();
    running.clear();
    await repository.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('an upstream that ended while the scheduler was stopped starts the downstream flow once, at the next start', async () => {
    await answerAfterExtractSeen();

    clock.advance(10 * MINUTE);
    const upstream = await runFlow('extract', 'SUCCESS', { answer: 42 });
    assert.equal(started('answer').length, 0, 'nothing evaluates Flow triggers while the scheduler is stopped');

    clock.advance(60 * MINUTE);
    await stopScheduler(await startScheduler());
    const [downstream, ...more] = started('answer');
    assert.equal(more.length, 0);
    assert.deepEqual(downstream?.trigger, {
      id: 'after_upstream',
      type: 'io.kestra.plugin.core.trigger.Flow',
      variables: {
        executionId: upstream.id,
        namespace: NS,
        flowId: 'extract',
        flowRevision: 1,
        state: 'SUCCESS',
        outputs: { answer: 42 },
        labels: upstream.labels,
      },
    });
    assert.deepEqual(downstream?.inputs, { upstream: upstream.id, answer: '42' });
    assert.equal(correlation(downstream), upstream.id, 'the downstream execution joins the upstream tree');
    assert.match(logs.join('\n'), /caught up 1 execution\(s\) that ended since/);

    // Restarting again, later, or right away: no second downstream execution.
    await stopScheduler(await startScheduler());
    clock.advance(10 * MINUTE);
    await stopScheduler(await startScheduler());
    assert.equal(started('answer').length, 1);
    assert.deepEqual(errors, []);
  });

  test('a crash between starting the downstream execution and saving the trigger state does not start it twice', async () => {
    await answerAfterExtractSeen();
    clock.advance(10 * MINUTE);
    await runFlow('extract');
    clock.advance(MINUTE);
    await stopScheduler(await startScheduler());
    assert.equal(started('answer').length, 1);

    // As if the process died right after the engine accepted the execution: the state lacks it.
    const state = (await repository.triggers.get(NS, 'answer', 'after_upstream')) as SchedulerTriggerState;
    assert.ok(state.flowCursor);
    state.flowCursor.done = {};
    await repository.triggers.save(state);
    await stopScheduler(await startScheduler());
    assert.equal(started('answer').length, 1);
    assert.deepEqual(errors, []);
  });

  test('a trigger added after the upstream ended does not replay history', async () => {
    await save('extract');
    await runFlow('extract');
    await runFlow('extract');
    clock.advance(10 * MINUTE);
    await save('answer', afterFlow('extract'));
    await stopScheduler(await startScheduler());
    assert.equal(started('answer').length, 0);
    assert.match(logs.join('\n'), /caught up 0 execution/);
  });

  test('a flow saved while the scheduler was down fires for upstreams that ended after its save', async () => {
    await save('extract');
    await save('answer', afterFlow('extract'));
    // The clock now passes the wall clock, so the revision's save time is the trigger's birth.
    clock.set(new Date(Date.now() + MINUTE));
    const upstream = await runFlow('extract');
    clock.advance(30 * MINUTE);
    await stopScheduler(await startScheduler());
    assert.deepEqual(firedFor('answer'), [upstream.id]);
    assert.deepEqual(errors, []);
  });

  test('live events after the catch-up fire once; a catch-up that sees them again does nothing', async () => {
    await answerAfterExtractSeen();
    clock.advance(MINUTE);
    const missed = await runFlow('extract');

    const scheduler = await startScheduler();
    const live = await runFlow('extract');
    await scheduler.idle();
    assert.equal(await scheduler.catchUpFlowTriggers(), 0);
    clock.advance(2 * MINUTE);
    assert.equal(await scheduler.catchUpFlowTriggers(), 0);
    await stopScheduler(scheduler);
    await stopScheduler(await startScheduler());
    assert.deepEqual(firedFor('answer'), [missed.id, live.id]);
    assert.deepEqual(errors, []);
  });

  test('a catch-up queued with live events in flight acts on each upstream once', async () => {
    await answerAfterExtractSeen();
    clock.advance(MINUTE);
    const missed = await runFlow('extract');
    const scheduler = new Scheduler({ repository, engine, registry, clock, onError: (m) => errors.push(m) });
    running.add(scheduler);
    await scheduler.syncFlows();
    // The live event is queued before the catch-up, which then finds the same execution.
    const live = await runFlow('extract');
    await scheduler.catchUpFlowTriggers();
    await scheduler.idle();
    assert.deepEqual(firedFor('answer').sort(), [missed.id, live.id].sort());
  });

  test('an upstream that another process ended (no event here) fires at the next periodic catch-up', async () => {
    await answerAfterExtractSeen();
    const scheduler = await startScheduler();
    const upstream = await engine.createExecution(NS, 'extract');
    clock.advance(MINUTE);
    // Another process's engine saves the end; this process's engine never tells its subscribers.
    const stored = await repository.executions.get(upstream.id);
    assert.ok(stored);
    await repository.executions.save({
      ...stored,
      state: transition(stored.state, 'SUCCESS', clock.now()),
      outputs: { answer: 7 },
    });
    assert.equal(started('answer').length, 0);
    assert.equal(await scheduler.catchUpFlowTriggers(), 1);
    assert.equal(await scheduler.catchUpFlowTriggers(), 0);
    assert.deepEqual(firedFor('answer'), [upstream.id]);
    assert.deepEqual(started('answer')[0]?.inputs, { upstream: upstream.id, answer: '7' });
    assert.deepEqual(errors, []);
  });

  test('an upstream already running before the cursor and ending while stopped still fires', async () => {
    await save('extract');
    await save('answer', afterFlow('extract'));
    const long = await engine.createExecution(NS, 'extract');
    clock.advance(10 * MINUTE);
    await stopScheduler(await startScheduler());
    clock.advance(60 * MINUTE);
    await engine.finish(long.id, 'SUCCESS', { answer: 1 });
    clock.advance(MINUTE);
    await stopScheduler(await startScheduler());
    assert.deepEqual(firedFor('answer'), [long.id]);
    assert.deepEqual(errors, []);
  });

  test('preconditions on two upstream flows are met across a restart, and fire once', async () => {
    await save('extract');
    await save('enrich');
    await save('publish', bothFlows);
    await stopScheduler(await startScheduler());
    clock.advance(MINUTE);
    await runFlow('extract');
    await stopScheduler(await startScheduler());
    assert.equal(started('publish').length, 0, 'one precondition of two is met');
    const seen = (await repository.triggers.get(NS, 'publish', 'after_both')) as SchedulerTriggerState;
    assert.equal(Object.keys(seen.seen ?? {}).length, 1);

    await runFlow('enrich', 'FAILED');
    const enriched = await runFlow('enrich');
    await stopScheduler(await startScheduler());
    assert.deepEqual(firedFor('publish'), [enriched.id]);
    // Restarts do not count the same upstream executions again.
    await stopScheduler(await startScheduler());
    const scheduler = await startScheduler();
    await runFlow('extract');
    await scheduler.idle();
    assert.equal(started('publish').length, 1, 'a new extract alone does not meet both preconditions');
    await stopScheduler(scheduler);
    assert.deepEqual(errors, []);
  });

  test('a damaged stored cursor is reported and restarts from now instead of failing', async () => {
    await answerAfterExtractSeen();
    const state = (await repository.triggers.get(NS, 'answer', 'after_upstream')) as SchedulerTriggerState;
    await repository.triggers.save({
      ...state,
      flowCursor: { after: 'yesterday' },
    } as unknown as SchedulerTriggerState);
    clock.advance(MINUTE);
    await runFlow('extract');
    clock.advance(MINUTE);
    const scheduler = await startScheduler();
    assert.match(errors.join('\n'), /answer, trigger after_upstream: the stored flowCursor is not valid/);
    const live = await runFlow('extract');
    await scheduler.idle();
    assert.deepEqual(firedFor('answer'), [live.id]);
  });

  test('an upstream that ended while the trigger was disabled does not fire once it is enabled again', async () => {
    await save('extract');
    await save('answer', afterFlow('extract'));
    const scheduler = await startScheduler();
    await scheduler.setDisabled(NS, 'answer', 'after_upstream', true);
    await stopScheduler(scheduler);
    clock.advance(MINUTE);
    await runFlow('extract');
    const again = await startScheduler();
    await again.setDisabled(NS, 'answer', 'after_upstream', false);
    await stopScheduler(again);
    await stopScheduler(await startScheduler());
    assert.equal(started('answer').length, 0);
    assert.deepEqual(errors, []);
  });
});
