import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ExpressionFunction, evaluate, render, SUPPORTED } from './index.ts';

const variables = {
  inputs: { name: 'Ada', template: 'Hi {{ inputs.name }}', nested: "{{ '{{ 1 + 1 }}' }}" },
  list: [4, 9, 2],
};
const e = (expression: string) => evaluate(expression, { variables });

describe('built-in functions', () => {
  test('fromJson and the deprecated json()', async () => {
    assert.deepEqual(await e('fromJson(\'{"a": [1, 2]}\')'), { a: [1, 2] });
    assert.equal(await e('json(\'{"a": {"b": 3}}\').a.b'), 3);
    await assert.rejects(e("fromJson('{nope')"), /function 'fromJson': invalid JSON/);
  });

  test('yaml parses text', async () => {
    assert.deepEqual(await e("yaml('a: 1\\nb: [x, y]')"), { a: 1, b: ['x', 'y'] });
  });

  test('uuid', async () => {
    assert.match(String(await e('uuid()')), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('range, max, min', async () => {
    assert.deepEqual(await e('range(1, 4)'), [1, 2, 3, 4]);
    assert.deepEqual(await e('range(10, 0, -5)'), [10, 5, 0]);
    assert.equal(await e('max(3, 8, 1)'), 8);
    assert.equal(await e('min(list)'), 2);
    assert.equal(await e("max('a', 'c', 'b')"), 'c');
  });

  test('render() renders recursively; renderOnce once', async () => {
    assert.equal(await e('render(inputs.template)'), 'Hi Ada');
    assert.equal(await e('render(inputs.nested)'), '2');
    assert.equal(await e('renderOnce(inputs.nested)'), '{{ 1 + 1 }}');
    assert.equal(await e('render(inputs.nested, recursive=false)'), '{{ 1 + 1 }}');
  });

  test('render() sees variables set in the template', async () => {
    assert.equal(await render("{% set who = 'Bob' %}{{ render('{{ who }}') }}", { variables }), 'Bob');
  });

  test('printContext returns the variables', async () => {
    assert.deepEqual(await e('printContext().list'), [4, 9, 2]);
  });

  test('unknown function names the known ones', async () => {
    await assert.rejects(e('nope()'), /unknown function 'nope'; known functions: .*fromJson/);
  });

  test('the list of supported names is published', () => {
    assert.ok(SUPPORTED.filters.includes('dateAdd'));
    assert.ok(SUPPORTED.functions.includes('now'));
    assert.ok(SUPPORTED.tests.includes('defined'));
  });
});

describe('host functions and filters', () => {
  const secrets: Record<string, string> = { API_KEY: 's3cr3t' };
  const secret: ExpressionFunction = async (call) => {
    await new Promise((resolve) => setImmediate(resolve));
    const key = String(call.positional[0]);
    if (!(key in secrets)) throw new Error(`secret '${key}' not found`);
    return secrets[key];
  };

  test('async host functions are awaited', async () => {
    const out = await render("Bearer {{ secret('API_KEY') }}", { variables, functions: { secret } });
    assert.equal(out, 'Bearer s3cr3t');
  });

  test('a host function error names the function and position', async () => {
    await assert.rejects(
      render("x\n{{ secret('OTHER') }}", { variables, functions: { secret } }),
      (error: Error & { line?: number }) => {
        assert.match(error.message, /function 'secret': secret 'OTHER' not found/);
        assert.equal(error.line, 2);
        return true;
      },
    );
  });

  test('named arguments reach host functions', async () => {
    const kv: ExpressionFunction = (call) => `${call.positional[0]}@${call.named.namespace}`;
    assert.equal(
      await render("{{ kv('k', namespace='company.team') }}", { variables, functions: { kv } }),
      'k@company.team',
    );
  });

  test('host filters and their context', async () => {
    const shout = async (input: unknown, _call: unknown, context: { render(t: string): Promise<string> }) =>
      `${String(input).toUpperCase()}! ${await context.render('{{ inputs.name }}')}`;
    assert.equal(await render('{{ "hey" | shout }}', { variables, filters: { shout } }), 'HEY! Ada');
  });

  test('async host functions work inside every tag', async () => {
    const later: ExpressionFunction = async (call) => {
      await new Promise((resolve) => setImmediate(resolve));
      return call.positional[0];
    };
    const functions = { later };
    const template = [
      "{% for i in later([1, 2]) %}{% for j in later(['a', 'b']) %}{{ i }}{{ later(j) }}{{ loop.index }}{% endfor %};{% endfor %}",
      '{% if later(false) %}no{% elseif later(true) %}yes{% endif %}',
      "{% set x = later('set') %}{{ x }}",
      "{% filter upper %}{{ later('inner') }}{% endfilter %}",
      '{% for i in [1, 2] %}{% set y = later(i * 10) %}{{ y }}{% endfor %}',
      '{% for i in later([]) %}x{% else %}empty{% endfor %}',
    ].join('|');
    assert.equal(await render(template, { variables, functions }), '1a01b1;2a02b1;|yes|set|INNER|1020|empty');
  });

  test('loop variables are restored after an async loop', async () => {
    const later: ExpressionFunction = async (call) => call.positional[0];
    const template = "{% set i = 'outer' %}{% for i in later([1]) %}{{ i }}{% endfor %}{{ i }}";
    assert.equal(await render(template, { variables, functions: { later } }), '1outer');
  });
});
