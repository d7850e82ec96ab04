import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate, isTruthy, render, TemplateError } from './index.ts';

const variables = {
  a: 7,
  b: 2,
  s: 'hello',
  list: [1, 2, 3],
  map: { k: 'v', nested: { deep: [10, 20] } },
  nothing: null,
  'with-dash': 1,
};
const e = (expression: string) => evaluate(expression, { variables });

describe('operators', () => {
  test('arithmetic', async () => {
    assert.equal(await e('a + b'), 9);
    assert.equal(await e('a - b'), 5);
    assert.equal(await e('a * b'), 14);
    assert.equal(await e('a / b'), 3.5);
    assert.equal(await e('a // b'), 3);
    assert.equal(await e('a % b'), 1);
    assert.equal(await e('-a + +b'), -5);
    assert.equal(await e('2 + 3 * 4'), 14);
    assert.equal(await e('(2 + 3) * 4'), 20);
    assert.equal(await e('1.5e2'), 150);
  });

  test('numeric strings take part in arithmetic', async () => {
    assert.equal(await e("'3' * 2"), 6);
  });

  test('division by zero is an error', async () => {
    await assert.rejects(e('a / 0'), /division by zero/);
  });

  test('string concatenation', async () => {
    assert.equal(await e("s ~ ' ' ~ a"), 'hello 7');
    assert.equal(await e("'x' + 'y'"), 'xy');
  });

  test('comparisons', async () => {
    assert.equal(await e('a > b'), true);
    assert.equal(await e('a < b'), false);
    assert.equal(await e('a >= 7 and b <= 2'), true);
    assert.equal(await e('a == 7.0'), true);
    assert.equal(await e("s != 'hello'"), false);
    assert.equal(await e("'abc' < 'abd'"), true);
    assert.equal(await e('list == [1, 2, 3]'), true);
    assert.equal(await e("map == {'k': 'v', 'nested': {'deep': [10, 20]}}"), true);
    assert.equal(await e("'1' == 1"), false);
  });

  test('comparing incompatible types is an error', async () => {
    await assert.rejects(e('list > 1'), /cannot compare list with number/);
  });

  test('logic', async () => {
    assert.equal(await e('true and false'), false);
    assert.equal(await e('true or false'), true);
    assert.equal(await e('not false'), true);
    assert.equal(await e('not a > 10'), true);
    // `or` short-circuits, so the undefined variable on the right is never read.
    assert.equal(await e('true or undefinedVariable'), true);
  });

  test('membership', async () => {
    assert.equal(await e('2 in list'), true);
    assert.equal(await e('5 not in list'), true);
    assert.equal(await e("'k' in map"), true);
    assert.equal(await e("'ell' in s"), true);
    assert.equal(await e('3 isIn [1, 3]'), true);
    assert.equal(await e('list contains 3'), true);
  });

  test('null coalescing and ternary', async () => {
    assert.equal(await e("undefinedVariable ?? 'fallback'"), 'fallback');
    assert.equal(await e("map.missing.deeper ?? 'x'"), 'x');
    assert.equal(await e("nothing ?? 'n'"), 'n');
    assert.equal(await e("a ?? 'n'"), 7);
    assert.equal(await e("x ?? y ?? 'last'"), 'last');
    assert.equal(await e("a > 5 ? 'big' : 'small'"), 'big');
    assert.equal(await e("a > 50 ? 'big' : b > 1 ? 'mid' : 'small'"), 'mid');
  });

  test('ranges are inclusive', async () => {
    assert.deepEqual(await e('1..4'), [1, 2, 3, 4]);
  });

  test('literals', async () => {
    assert.deepEqual(await e("[1, 'two', true, null, {'k': [3]}]"), [1, 'two', true, null, { k: [3] }]);
    assert.deepEqual(await e('{a: 1, "b c": 2}'), { a: 1, 'b c': 2 });
    assert.equal(await e("'it\\'s'"), "it's");
    assert.equal(await e('"line\\nbreak"'), 'line\nbreak');
    assert.equal(await e("\"a=#{a}, sum=#{ a + b }, map=#{ {'k': 1}['k'] }!\""), 'a=7, sum=9, map=1!');
    assert.equal(await e("'no #{a} in single quotes'"), 'no #{a} in single quotes');
    await assert.rejects(e('"open #{a"'), /unterminated string/);
  });

  test('access', async () => {
    assert.equal(await e('map.nested.deep[1]'), 20);
    assert.equal(await e("map['nested']['deep'][0]"), 10);
    assert.equal(await e('list[-1]'), 3);
    assert.equal(await e('s[0]'), 'h');
    const labels = { 'system.correlationId': 'c-1', 'system.username': 'ada', team: 'x' };
    assert.equal(await evaluate('labels.system.correlationId', { variables: { labels } }), 'c-1');
  });

  test('tests with is / is not', async () => {
    assert.equal(await e('undefinedVariable is defined'), false);
    assert.equal(await e('a is defined'), true);
    assert.equal(await e('map.missing is not defined'), true);
    assert.equal(await e('nothing is null'), true);
    assert.equal(await e('undefinedVariable is null'), true);
    assert.equal(await e('[] is empty'), true);
    assert.equal(await e("'' is empty"), true);
    assert.equal(await e('s is not empty'), true);
    assert.equal(await e('b is even'), true);
    assert.equal(await e('a is odd'), true);
    assert.equal(await e('list is iterable'), true);
    assert.equal(await e('s is iterable'), false);
    assert.equal(await e('\'{"a": 1}\' is json'), true);
    assert.equal(await e("'{a' is json"), false);
    assert.equal(await e('map is map'), true);
  });

  test('unknown test names the known ones', async () => {
    await assert.rejects(e('a is purple'), /unknown test 'purple'; known tests: defined/);
  });

  test('undefined variables fail with the path', async () => {
    await assert.rejects(e('undefinedVariable + 1'), (error: unknown) => {
      assert.ok(error instanceof TemplateError);
      assert.match(error.message, /variable 'undefinedVariable' is not defined/);
      assert.equal(error.column, 1);
      return true;
    });
    await assert.rejects(e('map.nested.nope'), /'map\.nested\.nope' is not defined \(available: deep\)/);
    await assert.rejects(e('nothing.x'), /cannot read 'x' of null: 'nothing' is null/);
    await assert.rejects(e('list[7]'), /'list\[7\]' is not defined/);
    await assert.rejects(
      evaluate('inputs.server-fqn', { variables: { inputs: { 'server-fqn': 'x' } } }),
      /'inputs\.server' is not defined \(available: server-fqn\); for a key with dashes write inputs\['server-fqn'\]/,
    );
  });

  test('evaluate accepts a whole {{ }} expression', async () => {
    assert.equal(await e('{{ a > 3 }}'), true);
  });

  test('render prints booleans and numbers', async () => {
    assert.equal(await render('{{ a > 3 }} {{ a / b }} {{ 1 == 1 }}', { variables }), 'true 3.5 true');
  });
});

describe('isTruthy', () => {
  test('false values', () => {
    for (const value of [null, undefined, false, 0, Number.NaN, '', '  ', 'false', 'FALSE', ' false ', '0', [], {}]) {
      assert.equal(isTruthy(value), false, JSON.stringify(value));
    }
  });
  test('true values', () => {
    for (const value of [true, 1, -1, 'true', 'yes', 'no', [0], { a: 1 }, 'null']) {
      assert.equal(isTruthy(value), true, JSON.stringify(value));
    }
  });
});

describe('precedence (as Pebble)', () => {
  test('filters bind looser than ~ and .., tighter than arithmetic', async () => {
    assert.equal(await e("'a' ~ s | upper"), 'AHELLO');
    assert.equal(await e('-3 | abs'), 3);
    assert.equal(await e('1..3 | length'), 3);
    assert.equal(await e("2 * '-4' | abs"), 8);
    assert.equal(await e('list | length + 1'), 4);
  });
});
