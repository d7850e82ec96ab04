import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate, LIMITS, render } from './index.ts';

class Secretive {
  hidden = 'x';
  get computed() {
    return 'getter';
  }
}

const variables = {
  map: { a: 1 },
  list: [1, 2],
  instance: new Secretive(),
  fn: () => 'called',
  withFn: { run: () => 'called' },
  self: 'Hello {{ render(self) }}',
};
const e = (expression: string) => evaluate(expression, { variables });

describe('safety', () => {
  test('prototype and constructor are never reachable', async () => {
    await assert.rejects(e('map.constructor'), /'map\.constructor' is not defined/);
    await assert.rejects(e('map.__proto__'), /not defined/);
    await assert.rejects(e("map['__proto__']"), /not defined/);
    await assert.rejects(e('list.constructor'), /not defined/);
    await assert.rejects(e("'abc'.constructor"), /not defined/);
    await assert.rejects(e('map.toString'), /not defined/);
    await assert.rejects(e('list.length'), /not defined/);
  });

  test('class instances and functions expose nothing', async () => {
    await assert.rejects(e('instance.hidden'), /cannot read attributes of a object/);
    await assert.rejects(e('instance.computed'), /cannot read attributes/);
    await assert.rejects(e('withFn.run'), /not defined/);
    await assert.rejects(e('fn.call'), /not defined/);
  });

  test('a __proto__ map key is refused', async () => {
    await assert.rejects(e("{'__proto__': {'polluted': 1}}"), /cannot be a map key/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('process and globals are not variables', async () => {
    await assert.rejects(e('process.env'), /variable 'process' is not defined/);
    await assert.rejects(e('globalThis'), /variable 'globalThis' is not defined/);
  });
});

describe('limits', () => {
  test('range size is bounded', async () => {
    await assert.rejects(e('range(0, 10000000)'), /exceeds the limit of 1000000/);
    await assert.rejects(e('0..10000000'), /exceeds the limit/);
  });

  test('a runaway loop fails instead of hanging', async () => {
    // A lower step budget keeps the test fast; the mechanism is the same at the default.
    const saved = LIMITS.maxSteps;
    LIMITS.maxSteps = 50_000;
    try {
      await assert.rejects(
        render('{% for i in range(0, 999999) %}{% for j in range(0, 999999) %}{% endfor %}{% endfor %}', { variables }),
        /exceeded 50000 steps/,
      );
    } finally {
      LIMITS.maxSteps = saved;
    }
  });

  test('work inside filters and functions counts against the step budget', async () => {
    await assert.rejects(
      render('{% for i in range(1, 1000) %}{{ range(1, 1000000) | sort | length }}{% endfor %}', { variables }),
      new RegExp(`exceeded ${LIMITS.maxSteps} steps`),
    );
  });

  test('output size is bounded', async () => {
    await assert.rejects(
      render("{% set s = 'xxxxxxxxxxxxxxxx' %}{% for i in range(1, 30) %}{% set s = s ~ s %}{% endfor %}{{ s }}", {
        variables,
      }),
      /exceeds the 10485760-character limit/,
    );
  });

  test('lists built by doubling are bounded', async () => {
    await assert.rejects(
      render('{% set l = [1, 2, 3, 4] %}{% for i in range(1, 40) %}{% set l = l + l %}{% endfor %}', { variables }),
      /exceeds the 1000000-item limit/,
    );
    await assert.rejects(
      render('{% set l = [1, 2, 3, 4] %}{% for i in range(1, 40) %}{% set l = l | merge(l) %}{% endfor %}', {
        variables,
      }),
      /exceeds the 1000000-item limit/,
    );
  });

  test('long operator chains and deep unary chains fail cleanly', async () => {
    await assert.rejects(
      render(`{{ ${Array(10_000).fill('1').join(' + ')} }}`, { variables }),
      /more than 256 operations deep/,
    );
    await assert.rejects(render(`{{ ${'-'.repeat(10_000)}1 }}`, { variables }), /nested deeper than 64/);
    await assert.rejects(render(`{{ ${'not '.repeat(10_000)}true }}`, { variables }), /nested deeper than 64/);
  });

  test('nesting depth is bounded', async () => {
    await assert.rejects(e(`${'('.repeat(200)}1${')'.repeat(200)}`), /nested deeper than 64/);
    await assert.rejects(render('{% if true %}'.repeat(100), { variables }), /nested deeper than 64/);
  });

  test('recursive render is bounded', async () => {
    await assert.rejects(render('{{ render(self) }}', { variables }), /render\(\) nested deeper than 10 levels/);
  });

  test('huge templates are refused', async () => {
    await assert.rejects(render(`{{ 1 }}${'x'.repeat(LIMITS.maxTemplateLength)}`, { variables }), /limit is/);
  });
});
