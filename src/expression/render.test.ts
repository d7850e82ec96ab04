import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate, render, TemplateError } from './index.ts';

const variables = { inputs: { x: 5, name: 'world', list: [1, 2, 3] }, outputs: { 'my-task': { value: 'ok' } } };
const r = (source: string, vars: Record<string, unknown> = variables) => render(source, { variables: vars });

describe('render', () => {
  test('returns strings without template syntax unchanged', async () => {
    assert.equal(await r('plain { text }'), 'plain { text }');
  });
  test('prints variables, bracket access and filters', async () => {
    assert.equal(await r('Hello {{ inputs.name | upper }}!'), 'Hello WORLD!');
    assert.equal(await r("{{ outputs['my-task'].value }}"), 'ok');
  });
  test('fails on an undefined attribute naming its path and position', async () => {
    await assert.rejects(r('ab\n {{ inputs.nope }}'), (error: unknown) => {
      assert.ok(error instanceof TemplateError);
      assert.match(error.message, /'inputs\.nope' is not defined/);
      assert.equal(error.line, 2);
      return true;
    });
  });
  test('evaluate returns typed values', async () => {
    assert.equal(await evaluate('inputs.x > 3 and 2 in inputs.list', { variables }), true);
    assert.equal(await evaluate('inputs.x * 2', { variables }), 10);
  });
});
