import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { render } from '../../expression/index.ts';
import type { Execution } from '../../model/execution.ts';
import { newState, transition } from '../../model/state.ts';
import type { ConditionContext } from './condition-spec.ts';
import {
  dateTimeBetweenCondition,
  dayWeekCondition,
  executionFlowCondition,
  executionStatusCondition,
  expressionCondition,
  timeBetweenCondition,
  weekendCondition,
} from './conditions.ts';
import { triggerPlugins } from './index.ts';

function context(date: string, timezone = 'UTC', execution?: Execution): ConditionContext {
  const variables = { trigger: { date }, execution };
  return {
    date: new Date(date),
    timezone,
    flow: { namespace: 'n', id: 'f' },
    ...(execution ? { execution } : {}),
    render: (template) => render(template, { variables }),
  };
}

const ended = (state: 'SUCCESS' | 'FAILED'): Execution => ({
  id: 'e1',
  namespace: 'up',
  flowId: 'ingest',
  flowRevision: 1,
  state: transition(newState('RUNNING'), state),
  inputs: {},
  labels: [],
  taskRuns: [],
});

describe('conditions', () => {
  test('DateTimeBetween bounds are inclusive; either may be omitted; a date property is rendered', async () => {
    const c = dateTimeBetweenCondition.implementation;
    const ctx = context('2026-06-15T12:00:00Z');
    assert.equal(await c.test({ after: '2026-06-15T12:00:00Z', before: '2026-06-16T00:00:00Z' }, ctx), true);
    assert.equal(await c.test({ after: '2026-06-15T12:00:01Z' }, ctx), false);
    assert.equal(await c.test({ before: '2026-06-01T00:00:00Z' }, ctx), false);
    assert.equal(await c.test({ date: '{{ trigger.date }}', before: '2026-07-01T00:00:00Z' }, ctx), true);
    await assert.rejects(c.test({ after: 'yesterday' }, ctx), /DateTimeBetween: after 'yesterday'/);
  });

  test('DayWeek and Weekend read the day in the trigger time zone', async () => {
    // Sunday 23:30 UTC is already Monday in Tokyo.
    const ctx = context('2026-06-14T23:30:00Z', 'Asia/Tokyo');
    assert.equal(await dayWeekCondition.implementation.test({ dayOfWeek: 'MONDAY' }, ctx), true);
    assert.equal(await weekendCondition.implementation.test({}, ctx), false);
    assert.equal(await weekendCondition.implementation.test({}, context('2026-06-14T23:30:00Z')), true);
    await assert.rejects(
      dayWeekCondition.implementation.test({ dayOfWeek: 'FUNDAY' }, ctx),
      /condition DayWeek, property dayOfWeek/,
    );
  });

  test('TimeBetween compares the local time of day', async () => {
    const c = timeBetweenCondition.implementation;
    const ctx = context('2026-01-10T09:30:00Z', 'Europe/Paris'); // 10:30 in Paris
    assert.equal(await c.test({ after: '10:00', before: '11:00' }, ctx), true);
    assert.equal(await c.test({ after: '10:31:00' }, ctx), false);
    await assert.rejects(c.test({ after: 'noon' }, ctx), /TimeBetween after: 'noon' is not a time/);
  });

  test('Expression is truthy or not', async () => {
    const c = expressionCondition.implementation;
    const ctx = context('2026-01-10T09:30:00Z');
    assert.equal(await c.test({ expression: "{{ trigger.date == '2026-01-10T09:30:00Z' }}" }, ctx), true);
    assert.equal(await c.test({ expression: '{{ 1 > 2 }}' }, ctx), false);
    assert.equal(await c.test({ expression: 'true' }, ctx), true);
  });

  test('ExecutionStatus and ExecutionFlow test the ended execution', async () => {
    const ok = context('2026-01-10T09:30:00Z', 'UTC', ended('SUCCESS'));
    const failed = context('2026-01-10T09:30:00Z', 'UTC', ended('FAILED'));
    assert.equal(await executionStatusCondition.implementation.test({ in: ['SUCCESS'] }, ok), true);
    assert.equal(await executionStatusCondition.implementation.test({ notIn: ['FAILED'] }, failed), false);
    assert.equal(
      await executionStatusCondition.implementation.test({ in: ['SUCCESS'] }, context('2026-01-10T09:30:00Z')),
      false,
    );
    assert.equal(await executionFlowCondition.implementation.test({ namespace: 'up', flowId: 'ingest' }, ok), true);
    assert.equal(await executionFlowCondition.implementation.test({ namespace: 'up', flowId: 'other' }, ok), false);
  });

  test('every trigger and condition is registered with its legacy names', () => {
    const names = triggerPlugins.flatMap((p) => [p.type, ...(p.aliases ?? [])]);
    for (const legacy of [
      'io.kestra.core.models.triggers.types.Schedule',
      'io.kestra.core.models.triggers.types.Flow',
      'io.kestra.core.models.triggers.types.Webhook',
      'io.kestra.core.models.conditions.types.VariableCondition',
      'io.kestra.plugin.core.condition.ExpressionCondition',
      'io.kestra.plugin.core.condition.WeekendCondition',
    ]) {
      assert.ok(names.includes(legacy), legacy);
    }
  });
});
