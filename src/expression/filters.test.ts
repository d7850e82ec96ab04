import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate, render } from './index.ts';

const variables = {
  text: 'Hello World',
  list: [3, 1, 2],
  map: { b: 2, a: 1 },
  nothing: null,
  words: ['a', 'b', 'c', 'd', 'e'],
};
const e = (expression: string) => evaluate(expression, { variables });

describe('string filters', () => {
  test('case and trimming', async () => {
    assert.equal(await e('text | upper'), 'HELLO WORLD');
    assert.equal(await e('text | lower'), 'hello world');
    assert.equal(await e("'  x  ' | trim"), 'x');
    assert.equal(await e("'hello big world' | title"), 'Hello Big World');
    assert.equal(await e("'hello world' | capitalize"), 'Hello world');
  });

  test('replace with a map or a pair', async () => {
    assert.equal(await e("text | replace({'Hello': 'Bye', 'o': '0'})"), 'Bye W0rld');
    assert.equal(await e("'a.b.c' | replace('.', '/')"), 'a/b/c');
    assert.equal(await e("'a1b22' | replace('[0-9]+', '#', regexp=true)"), 'a#b#');
  });

  test('split and join', async () => {
    assert.deepEqual(await e("'a,b,,c' | split(',')"), ['a', 'b', '', 'c']);
    assert.deepEqual(await e("'a,b,c' | split(',', 2)"), ['a', 'b,c']);
    assert.equal(await e("words | join(', ')"), 'a, b, c, d, e');
    assert.equal(await e('[1, 2] | join'), '12');
  });

  test('abbreviate, truncate and slugify', async () => {
    assert.equal(await e("'Hello World' | abbreviate(8)"), 'Hello...');
    assert.equal(await e("'Hi' | abbreviate(8)"), 'Hi');
    assert.equal(await e("'Héllo, Wörld!  ok' | slugify"), 'hello-world-ok');
  });

  test('starts, ends and substrings', async () => {
    assert.equal(await e("text | startsWith('Hell')"), true);
    assert.equal(await e("text | endsWith('x')"), false);
    assert.equal(await e("'a/b/c' | substringBefore('/')"), 'a');
    assert.equal(await e("'a/b/c' | substringAfter('/')"), 'b/c');
    assert.equal(await e("'a/b/c' | substringBeforeLast('/')"), 'a/b');
    assert.equal(await e("'a/b/c' | substringAfterLast('/')"), 'c');
    assert.equal(await e("'abc' | substringAfter('/')"), '');
    assert.equal(await e("'abc' | substringBefore('/')"), 'abc');
  });

  test('indent and nindent', async () => {
    assert.equal(await e("'a\\nb' | indent(2)"), 'a\n  b');
    assert.equal(await e("'a\\nb' | nindent(2)"), '\n  a\n  b');
  });

  test('escapeChar and string', async () => {
    assert.equal(await e("\"it's\" | escapeChar('single')"), "it\\'s");
    assert.equal(await e("'say \"hi\"' | escapeChar('double')"), 'say \\"hi\\"');
    assert.equal(await e("\"it's\" | escapeChar('shell')"), "it'\\''s");
    assert.equal(await e('12 | string'), '12');
    assert.equal(await e('map | string'), '{"b":2,"a":1}');
  });

  test('default applies to undefined, null and empty values', async () => {
    assert.equal(await e("undefinedVariable | default('d')"), 'd');
    assert.equal(await e("map.zzz.yyy | default('d')"), 'd');
    assert.equal(await e("nothing | default('d')"), 'd');
    assert.equal(await e("'' | default('d')"), 'd');
    assert.equal(await e("text | default('d')"), 'Hello World');
    assert.equal(await e("0 | default('d')"), 0);
  });

  test('string filters pass null through', async () => {
    assert.equal(await e('nothing | upper'), null);
  });

  test('a wrong input type names the filter', async () => {
    await assert.rejects(e('list | upper'), /filter 'upper': expects a string, got list/);
  });

  test('unknown filters name the known ones', async () => {
    await assert.rejects(e('text | shout'), /unknown filter 'shout'; known filters: .*upper/);
  });
});

describe('collection filters', () => {
  test('length, first, last', async () => {
    assert.equal(await e('list | length'), 3);
    assert.equal(await e('text | length'), 11);
    assert.equal(await e('map | length'), 2);
    assert.equal(await e('list | first'), 3);
    assert.equal(await e('list | last'), 2);
    assert.equal(await e('text | first'), 'H');
    assert.equal(await e('[] | first'), null);
  });

  test('keys, values, sort, rsort, reverse', async () => {
    assert.deepEqual(await e('map | keys'), ['b', 'a']);
    assert.deepEqual(await e('map | values'), [2, 1]);
    assert.deepEqual(await e('list | sort'), [1, 2, 3]);
    assert.deepEqual(await e('list | rsort'), [3, 2, 1]);
    assert.deepEqual(await e('list | reverse'), [2, 1, 3]);
    assert.equal(await e("'abc' | reverse"), 'cba');
    assert.deepEqual(await e("['b', 'a'] | sort"), ['a', 'b']);
  });

  test('slice, distinct, flatten, merge, chunk', async () => {
    assert.deepEqual(await e('words | slice(1, 3)'), ['b', 'c']);
    assert.equal(await e("'hello' | slice(1, 3)"), 'el');
    assert.deepEqual(await e('[1, 2, 1, [1], [1]] | distinct'), [1, 2, [1]]);
    assert.deepEqual(await e('[1, [2, [3]]] | flatten'), [1, 2, 3]);
    assert.deepEqual(await e('[1] | merge([2, 3])'), [1, 2, 3]);
    assert.deepEqual(await e("map | merge({'c': 3})"), { b: 2, a: 1, c: 3 });
    assert.deepEqual(await e('words | chunk(2)'), [['a', 'b'], ['c', 'd'], ['e']]);
  });

  test('out-of-range slice is an error', async () => {
    await assert.rejects(e('words | slice(2, 10)'), /out of bounds/);
  });
});

describe('number filters', () => {
  test('number, abs, numberFormat', async () => {
    assert.equal(await e("'42' | number"), 42);
    assert.equal(await e("'4.7' | number('INT')"), 4);
    assert.equal(await e("'4.7' | number('DOUBLE')"), 4.7);
    assert.equal(await e('-3 | abs'), 3);
    assert.equal(await e("1234567.891 | numberFormat('#,##0.00')"), '1,234,567.89');
    assert.equal(await e("3.14159 | numberFormat('#.##')"), '3.14');
    assert.equal(await e("3 | numberFormat('0.00')"), '3.00');
    assert.equal(await e("0.256 | numberFormat('0.0%')"), '25.6%');
    await assert.rejects(e("'abc' | number"), /expects a number/);
  });
});

describe('encoding and hash filters', () => {
  test('base64 and URL encoding', async () => {
    assert.equal(await e("'hello' | base64encode"), 'aGVsbG8=');
    assert.equal(await e("'aGVsbG8=' | base64decode"), 'hello');
    assert.equal(await e("'a b&c=d/é' | urlencode"), 'a+b%26c%3Dd%2F%C3%A9');
    assert.equal(await e("'a+b%26c' | urldecode"), 'a b&c');
  });

  test('hashes', async () => {
    assert.equal(await e("'abc' | md5"), '900150983cd24fb0d6963f7d28e17f72');
    assert.equal(await e("'abc' | sha1"), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(await e("'abc' | sha256"), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.match(String(await e("'abc' | sha512")), /^ddaf35a1/);
  });
});

describe('serialization filters', () => {
  test('toJson, json, yaml', async () => {
    assert.equal(await e("{'a': [1, 'x']} | toJson"), '{"a":[1,"x"]}');
    assert.equal(await e("'text' | json"), '"text"');
    assert.equal(await e('nothing | toJson'), 'null');
    assert.equal(await e("{'a': [1, 2]} | yaml"), 'a:\n  - 1\n  - 2\n');
  });

  test('filters chain in a rendered template', async () => {
    assert.equal(await render("{{ text | lower | replace({' ': '-'}) | upper }}", { variables }), 'HELLO-WORLD');
  });
});

describe('jq filter', () => {
  const data = {
    items: [
      { id: 'a', tags: ['x'] },
      { id: 'b', tags: [] },
    ],
    'odd-key': 1,
  };
  const j = (program: string, input: unknown = data) => evaluate(`input | jq('${program}')`, { variables: { input } });

  test('paths always return a list', async () => {
    assert.deepEqual(await j('.'), [data]);
    assert.deepEqual(await j('.items[0].id'), ['a']);
    assert.deepEqual(await j('.items[-1].id'), ['b']);
    assert.deepEqual(await j('.items[].id'), ['a', 'b']);
    assert.deepEqual(await j('."odd-key"'), [1]);
    assert.deepEqual(await j('.["odd-key"]'), [1]);
    assert.deepEqual(await j('.missing'), [null]);
  });

  test('pipes, commas and functions', async () => {
    assert.deepEqual(await j('.items | length'), [2]);
    assert.deepEqual(await j('.items[] | .id'), ['a', 'b']);
    assert.deepEqual(await j('.items[0].id, .items[1].id'), ['a', 'b']);
    assert.deepEqual(await j('keys'), [['items', 'odd-key']]);
  });

  test('JSON text input is parsed; chain first for one value', async () => {
    assert.equal(await evaluate('\'{"a": {"b": 2}}\' | jq(\'.a.b\') | first', { variables: {} }), 2);
  });

  test('unsupported programs name what is supported', async () => {
    await assert.rejects(j('map(.id)'), /jq: .*supported: paths/);
  });
});
