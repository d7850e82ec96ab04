import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompletionContext } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { enclosingType, type PluginSchema, type SchemaIndex, yamlCompletion } from './yaml-completion.ts';

const schemas: Record<string, PluginSchema> = {
  'io.kestra.plugin.core.log.Log': {
    properties: {
      message: { description: 'What to log' },
      level: { enum: ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] },
    },
  },
  'io.kestra.plugin.ai.rag.ChatCompletion': {
    properties: { prompt: {}, chatProvider: {} },
    outputs: { properties: { textOutput: {}, sources: {} } },
  },
};
const index: SchemaIndex = {
  types: Object.keys(schemas).map((type) => ({ type, category: 'task', title: type })),
  plugin: (type) => schemas[type],
};

/** Completes at the `|` marker of a document. */
function complete(text: string): string[] {
  const pos = text.indexOf('|');
  const state = EditorState.create({ doc: text.replace('|', '') });
  const result = yamlCompletion(index)(new CompletionContext(state, pos, true));
  return (result?.options ?? []).map((o) => o.label);
}

const FLOW = `id: f
namespace: n
inputs:
  - id: question
    type: STRING
tasks:
  - id: chat
    type: io.kestra.plugin.ai.rag.ChatCompletion
    prompt: "{{ inputs.question }}"
  - id: say
    type: io.kestra.plugin.core.log.Log
`;

describe('flow editor completions', () => {
  test('type values come from the registry; input types inside inputs', () => {
    assert.deepEqual(complete(`${FLOW}  - id: more\n    type: io.kestra|\n`).sort(), Object.keys(schemas).sort());
    assert.ok(complete('id: f\ninputs:\n  - id: x\n    type: ST|\n').includes('STRING'));
  });

  test('property names of the enclosing task, from its schema, whether type is above or below', () => {
    assert.ok(complete(`${FLOW}    mes|\n`).includes('message'));
    const below = `tasks:\n  - id: say\n    mes|\n    type: io.kestra.plugin.core.log.Log\n`;
    assert.ok(complete(below).includes('message'));
    assert.ok(complete('ta|').includes('tasks'), 'top-level flow keys');
  });

  test('enum values of a property', () => {
    assert.deepEqual(complete(`${FLOW}    level: W|\n`), ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']);
  });

  test('{{ outputs.<taskId>.<output> }} inside templates', () => {
    assert.deepEqual(complete(`${FLOW}    message: "{{ outputs.|"\n`), ['chat', 'say']);
    assert.deepEqual(complete(`${FLOW}    message: "{{ outputs.chat.|"\n`), ['textOutput', 'sources']);
  });

  test('enclosingType stops at the list item boundary', () => {
    const doc = 'tasks:\n  - id: a\n    type: A\n  - id: b\n    x: 1\n    type: B\n';
    assert.equal(enclosingType(doc, 5, 4), 'B');
    assert.equal(enclosingType(doc, 2, 4), 'A');
  });
});
