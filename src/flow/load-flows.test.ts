import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FlowValidationError, type FlowViolation } from './flow-violation.ts';
import { loadFlows } from './load-flows.ts';
import { createStubRegistry } from './stub-registry.ts';

const registry = createStubRegistry();
const corpus = join(import.meta.dirname, 'test-flows');

function load(source: string, file = 'flow.yaml') {
  return loadFlows(source, registry, { file });
}

function violationsOf(source: string): FlowViolation[] {
  const result = load(source);
  assert.equal(result.ok, false, 'expected the flow to be rejected');
  return result.ok ? [] : result.violations;
}

/** `# expect: line:col path: message` lines at the top of an invalid corpus file. */
function expectations(source: string) {
  return [...source.matchAll(/^# expect: (\d+):(\d+) (\S+): (.*)$/gm)].map((m) => ({
    line: Number(m[1]),
    column: Number(m[2]),
    path: m[3] === '<root>' ? '' : (m[3] ?? ''),
    message: (m[4] ?? '').trim(),
  }));
}

describe('own flow corpus', () => {
  for (const file of readdirSync(join(corpus, 'valid'))) {
    test(`valid/${file} loads`, () => {
      const result = load(readFileSync(join(corpus, 'valid', file), 'utf8'), file);
      assert.ok(result.ok, result.ok ? '' : new FlowValidationError(result.violations).message);
    });
  }
  for (const file of readdirSync(join(corpus, 'invalid'))) {
    test(`invalid/${file} reports exactly its expected violations, with positions`, () => {
      const source = readFileSync(join(corpus, 'invalid', file), 'utf8');
      const expected = expectations(source);
      assert.ok(expected.length > 0, 'an invalid corpus file lists what it expects');
      const result = load(source, file);
      assert.equal(result.ok, false);
      if (result.ok) return;
      const actual = result.violations.map((v) => `${v.line}:${v.column} ${v.path}: ${v.message}`);
      assert.equal(result.violations.length, expected.length, actual.join('\n'));
      expected.forEach((e, index) => {
        const v = result.violations[index];
        assert.ok(v, `missing violation ${index}`);
        assert.equal(`${v.line}:${v.column} ${v.path}`, `${e.line}:${e.column} ${e.path}`, actual.join('\n'));
        assert.ok(v.message.startsWith(e.message), `${v.message}\n  should start with\n${e.message}`);
        assert.equal(v.file, file);
      });
    });
  }
});

describe('loadFlows', () => {
  test('normalises: canonical types, pluginDefaults applied to sub-plugins, 2.0 and deprecated spellings folded', () => {
    const result = load(readFileSync(join(corpus, 'valid', 'rag-with-defaults.yaml'), 'utf8'));
    assert.ok(result.ok);
    const [flow] = result.flows;
    assert.ok(flow);
    const chat = flow.spec.tasks[0];
    assert.ok(chat);
    assert.equal(chat.type, 'io.kestra.plugin.ai.rag.ChatCompletion');
    assert.equal(chat.runIf, "{{ inputs.question != '' }}");
    assert.equal('when' in chat, false);
    assert.deepEqual(chat.retry, {
      type: 'exponential',
      interval: 'PT1S',
      maxInterval: 'PT30S',
      maxAttempts: 3,
    });
    assert.deepEqual(chat.chatProvider, {
      type: 'io.kestra.plugin.ai.provider.OpenAI',
      apiKey: "{{ secret('OPENAI_API_KEY') }}",
      modelName: 'gpt-4o-mini',
    });
    // A value the flow gives itself wins over a non-forced default.
    assert.equal((chat.embeddingProvider as { modelName: string }).modelName, 'text-embedding-3-small');
    const trigger = flow.spec.triggers?.[0];
    assert.equal(trigger?.type, 'io.kestra.plugin.core.trigger.Schedule');
    assert.equal(trigger?.conditions?.[0]?.type, 'io.kestra.plugin.core.condition.Expression');
  });

  test('splits multi-document sources, keeping each document text; forced defaults override', () => {
    const source = readFileSync(join(corpus, 'valid', 'two-flows.yaml'), 'utf8');
    const result = load(source);
    assert.ok(result.ok);
    assert.deepEqual(
      result.flows.map((f) => f.spec.id),
      ['first', 'second'],
    );
    const [first, second] = result.flows;
    assert.ok(first && second);
    assert.ok(first.source.startsWith('# Two flows'), 'comments above a document stay with it');
    assert.ok(!first.source.includes('id: second'));
    assert.ok(second.source.startsWith('id: second'));
    assert.equal('extend' in first.spec, false);
    assert.equal(second.spec.tasks[0]?.level, 'WARN');
    assert.deepEqual(second.spec.pluginDefaults, [
      { type: 'io.kestra.plugin.core.log.Log', forced: true, values: { level: 'WARN' } },
    ]);
    assert.equal('taskDefaults' in second.spec, false);
  });

  test('the error message lists every violation as file:line:col path: message', () => {
    const result = load('id: x\nnamespace: n\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n', 'a.yaml');
    assert.equal(result.ok, false);
    if (result.ok) return;
    const error = new FlowValidationError(result.violations);
    assert.match(error.message, /a\.yaml:4:5 tasks\[0\]\.message: is required/);
    assert.equal(error.violations, result.violations);
  });

  test('refuses sources over 10 MB without parsing them', () => {
    const huge = `id: big\nnamespace: n\ndescription: "${'x'.repeat(10 * 1024 * 1024)}"\ntasks: []\n`;
    const [violation, ...rest] = violationsOf(huge);
    assert.equal(rest.length, 0);
    assert.match(violation?.message ?? '', /larger than 10 MB/);
  });

  test('refuses nesting deeper than 100 levels, with a position', () => {
    const deep = `id: deep\nnamespace: n\nvariables:\n  v: ${'['.repeat(500)}${']'.repeat(500)}\ntasks: []\n`;
    const [violation, ...rest] = violationsOf(deep);
    assert.equal(rest.length, 0);
    assert.match(violation?.message ?? '', /nests deeper than 100/);
    assert.equal(violation?.line, 1);
  });

  test('refuses alias bombs', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `${'bcdefghij'[i - 1]}: &${'bcdefghij'[i - 1]} [${Array(10)
          .fill(`*${'abcdefghij'[i - 1]}`)
          .join(', ')}]`,
      );
    const bomb = `id: bomb\nnamespace: n\nvariables:\n${lines.map((l) => `  ${l}`).join('\n')}\ntasks: []\n`;
    const violations = violationsOf(bomb);
    assert.equal(violations.length, 1);
    assert.match(violations[0]?.message ?? '', /cannot be expanded/);
  });

  test('a source without any document is an error, not an empty success', () => {
    const [violation] = violationsOf('# only a comment\n');
    assert.match(violation?.message ?? '', /no flow/);
  });

  test('a document that is not a map says what a flow is', () => {
    const [violation] = violationsOf('- id: a\n');
    assert.match(violation?.message ?? '', /expected a flow: a map with id, namespace and tasks/);
  });

  test('an empty child task list is rejected, an empty errors list is not', () => {
    const source = `id: s
namespace: n
tasks:
  - id: sw
    type: io.kestra.plugin.core.flow.Switch
    value: A
    cases:
      A:
        - id: a
          type: io.kestra.plugin.core.debug.Return
          format: A
    defaults: []
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: b
        type: io.kestra.plugin.core.debug.Return
        format: B
    errors: []
`;
    const violations = violationsOf(source);
    assert.deepEqual(
      violations.map((v) => `${v.line}:${v.path}`),
      ['12:tasks[0].defaults'],
    );
  });

  test('Dag-style items ({task, dependsOn}) are validated as tasks', () => {
    const dagRegistry = createStubRegistry();
    const source = `id: d
namespace: n
tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - task:
          id: inner
          type: io.kestra.plugin.core.debug.Return
        dependsOn: []
`;
    const result = loadFlows(source, dagRegistry);
    assert.equal(result.ok, false);
    if (!result.ok)
      assert.deepEqual(
        result.violations.map((v) => v.path),
        ['tasks[0].tasks[0].task.format'],
      );
  });
});

describe('messages', () => {
  test('a typo inside a dynamic map property gets a suggestion', () => {
    const violations = violationsOf(`id: f
namespace: n
tasks:
  - id: chat
    type: io.kestra.plugin.ai.rag.ChatCompletion
    prompt: hi
    chatProvider: { type: io.kestra.plugin.ai.provider.OpenAI, apiKey: k, modelName: m }
    chatConfiguration:
      temperatur: 0.5
`);
    assert.deepEqual(
      violations.map((v) => `${v.line}:${v.column} ${v.path}: ${v.message}`),
      ["9:7 tasks[0].chatConfiguration.temperatur: unknown property 'temperatur'; did you mean 'temperature'?"],
    );
  });

  test('a type of the wrong category says what it is', () => {
    const violations = violationsOf(`id: f
namespace: n
tasks:
  - id: p
    type: io.kestra.plugin.ai.provider.OpenAI
`);
    assert.deepEqual(
      violations.map((v) => `${v.path}: ${v.message}`),
      ["tasks[0].type: 'io.kestra.plugin.ai.provider.OpenAI' is a provider, not a task"],
    );
  });
});

describe('flow-level keys', () => {
  test('outputs, concurrency, flow retry and labels are checked; sla and checks are accepted', () => {
    const violations = violationsOf(`id: f
namespace: n
labels:
  - key: system.correlationId
    value: x
outputs:
  - id: answer
    type: STRING
  - id: bad
    type: TEXT
    value: x
retry:
  type: random
  minInterval: PT1S
concurrency:
  behavior: QUEUE
sla:
  - id: max
    type: MAX_DURATION
    duration: PT1H
checks: []
tasks:
  - id: a
    type: io.kestra.plugin.core.log.Log
    message: hi
`);
    assert.deepEqual(
      violations.map((v) => `${v.line} ${v.path}`),
      ['4 labels[0].key', '7 outputs[0].value', '10 outputs[1].type', '13 retry.maxInterval', '16 concurrency.limit'],
    );
  });
});
