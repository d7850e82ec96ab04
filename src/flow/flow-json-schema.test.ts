import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Validator } from '@cfworker/json-schema';
import { parse } from 'yaml';
import { flowJsonSchema, pluginJsonSchema } from './flow-json-schema.ts';
import { createStubRegistry } from './stub-registry.ts';

const registry = createStubRegistry();
const schema = flowJsonSchema(registry);
const validator = new Validator(schema as ConstructorParameters<typeof Validator>[0], '2020-12', false);

function check(yaml: string) {
  return validator.validate(parse(yaml));
}

const validFlow = `
id: rag
namespace: company.ai
inputs:
  - id: question
    type: STRING
tasks:
  - id: chat
    type: io.kestra.plugin.langchain4j.rag.ChatCompletion
    prompt: "{{ inputs.question }}"
    maxResults: "{{ inputs.n }}"
    timeout: PT5M
    retry: { type: constant, interval: PT1S, maxAttempts: 2 }
    chatProvider:
      type: io.kestra.plugin.ai.provider.OpenAI
      apiKey: k
      modelName: m
    stores:
      - type: io.kestra.plugin.ai.embeddings.KestraKVStore
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: log
        type: io.kestra.plugin.core.log.Log
        message: hi
triggers:
  - id: daily
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 * * *"
    conditions:
      - type: io.kestra.plugin.core.condition.Expression
        expression: "{{ true }}"
`;

describe('flowJsonSchema', () => {
  test('accepts a valid flow, with aliases, templates in dynamic properties and nested sub-plugins', () => {
    const result = check(validFlow);
    assert.ok(result.valid, JSON.stringify(result.errors.slice(0, 5), null, 1));
  });

  test('rejects unknown types, unknown properties, bad literals and bad sub-plugins', () => {
    const cases = [
      validFlow.replace('type: io.kestra.plugin.core.log.Log', 'type: io.kestra.plugin.core.log.Nope'),
      validFlow.replace('message: hi', 'mesage: hi'),
      validFlow.replace('timeout: PT5M', 'timeout: 10 minutes'),
      validFlow.replace('maxResults: "{{ inputs.n }}"', 'maxResults: many'),
      validFlow.replace('apiKey: k', 'apiKy: k'),
      validFlow.replace(
        'type: io.kestra.plugin.ai.embeddings.KestraKVStore',
        'type: io.kestra.plugin.ai.provider.OpenAI',
      ),
      validFlow.replace('expression: "{{ true }}"', 'expresion: x'),
      validFlow.replace('namespace: company.ai', 'namespace: Company'),
    ];
    for (const yaml of cases) assert.equal(check(yaml).valid, false, yaml);
  });

  test('lists every task type (canonical and aliases) for `type:` completion', () => {
    const defs = schema.$defs as Record<string, { anyOf?: { $ref: string }[]; properties?: Record<string, unknown> }>;
    assert.deepEqual(
      defs.task?.anyOf?.map((ref) => ref.$ref).sort(),
      registry
        .list('task')
        .map((d) => `#/$defs/${d.type}`)
        .sort(),
    );
    assert.deepEqual(defs['io.kestra.plugin.core.log.Log']?.properties?.type, {
      enum: ['io.kestra.plugin.core.log.Log', 'io.kestra.core.tasks.log.Log'],
      description: 'Log',
    });
    // A sub-plugin property points at its category's union.
    const chat = defs['io.kestra.plugin.ai.rag.ChatCompletion']?.properties ?? {};
    assert.deepEqual((chat.chatProvider as { $ref: string }).$ref, '#/$defs/provider');
  });

  test('pluginJsonSchema gives one plugin by name or alias, self-contained', () => {
    const log = pluginJsonSchema(registry, 'io.kestra.core.tasks.log.Log');
    assert.ok(log);
    const validate = new Validator(log as ConstructorParameters<typeof Validator>[0], '2020-12', false);
    assert.ok(validate.validate({ id: 'a', type: 'io.kestra.plugin.core.log.Log', message: 'hi' }).valid);
    assert.equal(validate.validate({ id: 'a', type: 'io.kestra.plugin.core.log.Log', level: 'LOUD' }).valid, false);
    assert.equal(pluginJsonSchema(registry, 'io.kestra.plugin.core.log.Nope'), undefined);
  });
});
