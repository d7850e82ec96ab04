import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadFlows } from './load-flows.ts';
import { createStubRegistry } from './stub-registry.ts';

const registry = createStubRegistry();

function firstTask(source: string): Record<string, unknown> {
  const result = loadFlows(source, registry);
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.violations));
  return result.flows[0]?.spec.tasks[0] ?? {};
}

const chat = (extra: string) => `
id: d
namespace: n
pluginDefaults:
${extra}
tasks:
  - id: chat
    type: io.kestra.plugin.ai.rag.ChatCompletion
    prompt: hi
    chatProvider:
      type: io.kestra.plugin.ai.provider.OpenAI
      modelName: own
`;

describe('pluginDefaults', () => {
  test('fill missing properties of nested sub-plugins by package prefix, keeping what the flow sets', () => {
    const task = firstTask(
      chat(`  - type: io.kestra.plugin.ai.provider
    values: { apiKey: k, modelName: default }`),
    );
    assert.deepEqual(task.chatProvider, { type: 'io.kestra.plugin.ai.provider.OpenAI', modelName: 'own', apiKey: 'k' });
  });

  test('forced values override both the flow and non-forced defaults', () => {
    const task = firstTask(
      chat(`  - type: io.kestra.plugin.langchain4j.provider.OpenAI
    forced: true
    values: { modelName: forced, apiKey: first }
  - type: io.kestra.plugin.ai.provider.OpenAI
    values: { apiKey: second, baseUrl: http://gateway }`),
    );
    assert.deepEqual(task.chatProvider, {
      type: 'io.kestra.plugin.ai.provider.OpenAI',
      modelName: 'forced',
      apiKey: 'first',
      baseUrl: 'http://gateway',
    });
  });

  test('maps are merged deeply and defaults reach tasks and triggers', () => {
    const result = loadFlows(
      `
id: d
namespace: n
pluginDefaults:
  - type: io.kestra.plugin.core.log.Log
    values:
      level: WARN
      retry: { type: constant, interval: PT5S, maxAttempts: 3 }
  - type: io.kestra.plugin.core.trigger.Schedule
    values: { timezone: Europe/Paris }
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: hi
    retry: { type: constant, interval: PT1S }
triggers:
  - id: t
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 * * *"
`,
      registry,
    );
    assert.ok(result.ok);
    const flow = result.flows[0]?.spec;
    assert.deepEqual(flow?.tasks[0]?.retry, { type: 'constant', interval: 'PT1S', maxAttempts: 3 });
    assert.equal(flow?.tasks[0]?.level, 'WARN');
    assert.equal(flow?.triggers?.[0]?.timezone, 'Europe/Paris');
  });

  test('a default supplies a required property, so the task is valid without it', () => {
    const task = firstTask(
      chat(`  - type: io.kestra.plugin.ai.provider.OpenAI
    values: { apiKey: "{{ secret('KEY') }}" }`),
    );
    assert.equal((task.chatProvider as { apiKey: string }).apiKey, "{{ secret('KEY') }}");
  });

  test('a default for a type the reference has but Windhover lacks is accepted and ignored', () => {
    firstTask(
      chat(`  - type: io.kestra.plugin.scripts.python.Script
    values: { containerImage: python:3.12 }
  - type: io.kestra.plugin.ai.provider.OpenAI
    values: { apiKey: k }`),
    );
  });
});
