import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate, render, TemplateError } from './index.ts';

const variables = {
  message: 'Hello, World',
  padded: '  spaced out \n',
  empty: '',
  csv: 'a,b,,c,,',
  list: ['x', 'y', 'z'],
  numbers: [3, 1, 2],
  noItems: [],
  map: { k: 'v', n: 2, nested: { deep: true } },
  withSize: { size: 'XL', values: 'mine', get: 'own', k: 1 },
  labels: { 'system.correlationId': 'c-1', team: 'ai' },
  nothing: null,
  secretMap: Object.create({ inherited: 'no' }) as Record<string, unknown>,
};
const e = (expression: string) => evaluate(expression, { variables });
const r = (template: string) => render(template, { variables });

describe('Java members on values (Pebble attribute fallback)', () => {
  test('string members without parentheses, as Pebble finds Java getters', async () => {
    assert.equal(await e('message.length'), 12);
    assert.equal(await e('message.length()'), 12);
    assert.equal(await e('empty.empty'), true);
    assert.equal(await e('empty.isEmpty'), true);
    assert.equal(await e('message.isEmpty()'), false);
    assert.equal(await e('padded.blank'), false);
    assert.equal(await e("'  '.isBlank()"), true);
    assert.equal(await r('{{ message.length > 5 ? "long" : "short" }}'), 'long');
    assert.equal(await r("{{ message['length'] }}"), '12');
    // Items by index still come first.
    assert.equal(await e('message[0]'), 'H');
  });

  test('string members with arguments follow Java', async () => {
    assert.equal(await e('message.toUpperCase()'), 'HELLO, WORLD');
    assert.equal(await e('message.toLowerCase()'), 'hello, world');
    assert.equal(await e('padded.trim()'), 'spaced out');
    assert.equal(await e('padded.strip().toUpperCase().length()'), 10);
    assert.equal(await e("message.contains('World')"), true);
    assert.equal(await e("message.startsWith('Hell')"), true);
    assert.equal(await e("message.startsWith('World', 7)"), true);
    assert.equal(await e("message.endsWith('!')"), false);
    assert.equal(await e('message.substring(7)'), 'World');
    assert.equal(await e('message.substring(0, 5)'), 'Hello');
    assert.equal(await e("message.indexOf('o')"), 4);
    assert.equal(await e("message.indexOf('o', 5)"), 8);
    assert.equal(await e("message.lastIndexOf('o')"), 8);
    assert.equal(await e("message.indexOf('?')"), -1);
    assert.equal(await e('message.charAt(1)'), 'e');
    assert.equal(await e("message.equals('Hello, World')"), true);
    assert.equal(await e("message.equalsIgnoreCase('hello, world')"), true);
    assert.equal(await e("'ab'.repeat(3)"), 'ababab');
    assert.equal(await e("'ab'.concat('cd')"), 'abcd');
    assert.equal(await e("message.matches('H.*d')"), true);
    assert.equal(await e("message.matches('World')"), false, 'matches() needs the whole string to match');
  });

  test('split takes a regular expression and drops trailing empty strings, as Java does', async () => {
    assert.deepEqual(await e("csv.split(',')"), ['a', 'b', '', 'c']);
    assert.deepEqual(await e("csv.split(',', -1)"), ['a', 'b', '', 'c', '', '']);
    assert.deepEqual(await e("csv.split(',', 2)"), ['a', 'b,,c,,']);
    assert.deepEqual(await e("'a1b22c'.split('\\\\d+')"), ['a', 'b', 'c']);
    assert.deepEqual(await e("'a.b'.split('.')"), [], "'.' is a regex matching everything");
    assert.deepEqual(await e("'abc'.split('')"), ['a', 'b', 'c']);
    assert.deepEqual(await e("'a-b'.split('(-)')"), ['a', 'b'], 'captured groups are not part of the result');
    assert.deepEqual(await e("'abc'.split(',')"), ['abc']);
    assert.deepEqual(await e("','.split(',')"), []);
    assert.equal(await e("csv.split(',').size()"), 4);
  });

  test('replace is literal; replaceAll and replaceFirst take a regex and Java group references', async () => {
    assert.equal(await e("'a.b.c'.replace('.', '$')"), 'a$b$c');
    assert.equal(await e("'abc'.replace('', '-')"), '-a-b-c-');
    assert.equal(await e("'a1b22'.replaceAll('\\\\d', '#')"), 'a#b##');
    assert.equal(await e("'john smith'.replaceAll('(\\\\w+) (\\\\w+)', '$2, $1')"), 'smith, john');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Java's named group reference, not a JS placeholder
    assert.equal(await e("'2026-01'.replaceAll('(?<y>\\\\d+)-(?<m>\\\\d+)', '${m}/${y}')"), '01/2026');
    assert.equal(await e("'a1b2'.replaceFirst('\\\\d', '\\\\$')"), 'a$b2');
    await assert.rejects(e("'a1'.replaceAll('\\\\d', '$')"), /illegal group reference/);
    await assert.rejects(e("'a1'.replaceAll('(', 'x')"), /invalid regular expression '\('/);
  });

  test('list members', async () => {
    assert.equal(await e('list.size'), 3);
    assert.equal(await e('list.size()'), 3);
    assert.equal(await e('noItems.empty'), true);
    assert.equal(await e('noItems.isEmpty()'), true);
    assert.equal(await e("list.contains('y')"), true);
    assert.equal(await e('numbers.contains(4)'), false);
    assert.equal(await e('list.get(1)'), 'y');
    assert.equal(await e("list.indexOf('z')"), 2);
    assert.deepEqual(await e('list.subList(1, 3)'), ['y', 'z']);
    assert.equal(await e('list.first'), 'x', 'getFirst(), as on Java 21');
    assert.equal(await e('list.getLast()'), 'z');
    assert.equal(await e('list[0]'), 'x');
    assert.equal(await r('{% for i in range(0, list.size - 1) %}{{ list.get(i) }}{% endfor %}'), 'xyz');
  });

  test('map members need parentheses; a key of the same name always wins without them', async () => {
    assert.equal(await e('map.size()'), 3);
    assert.equal(await e('map.isEmpty()'), false);
    assert.equal(await e("map.containsKey('k')"), true);
    assert.equal(await e("map.containsKey('inherited')"), false);
    assert.equal(await e("map.containsValue('v')"), true);
    assert.deepEqual(await e('map.keySet()'), ['k', 'n', 'nested']);
    assert.deepEqual(await e('withSize.values()'), ['XL', 'mine', 'own', 1]);
    assert.deepEqual(await e('map.entrySet()[0]'), { key: 'k', value: 'v' });
    assert.equal(await e("map.get('n')"), 2);
    assert.equal(await e("map.get('missing')"), null);
    assert.equal(await e("map.getOrDefault('missing', 'd')"), 'd');
    assert.equal(await e("labels.get('system.correlationId')"), 'c-1');
    // Without parentheses an attribute of a map is one of its keys, as in Pebble.
    assert.equal(await e('withSize.size'), 'XL');
    assert.equal(await e('withSize.values'), 'mine');
    assert.equal(await e('withSize.size()'), 4);
    assert.equal(await e("withSize.get('k')"), 1);
    await assert.rejects(e('map.size'), (error: unknown) => {
      assert.ok(error instanceof TemplateError);
      assert.match(error.message, /'map\.size' is not defined \(available: k, n, nested\).*write \.size\(\)/);
      return true;
    });
    // Lenient reads are unchanged: a missing key is still missing.
    assert.equal(await e("map.values ?? 'fallback'"), 'fallback');
    assert.equal(await e('map.size is defined'), false);
  });

  test('chains and nulls: lenient under ?? and default, clear errors otherwise', async () => {
    assert.equal(await e("missing.trim() ?? 'none'"), 'none');
    assert.equal(await r("{{ nothing.trim() | default('none') }}"), 'none');
    assert.equal(await e('map.missing.length ?? 0'), 0);
    await assert.rejects(e('nothing.trim()'), /cannot call 'trim\(\)' of null: 'nothing' is null/);
    await assert.rejects(e('missing.trim()'), /variable 'missing' is not defined/);
  });

  test('only allow-listed members exist: errors name the member and the type', async () => {
    await assert.rejects(
      e('message.getClass()'),
      /'message\.getClass\(\.\.\.\)': string has no member 'getClass\(\)'; string members: length/,
    );
    await assert.rejects(e('message.constructor()'), /string has no member 'constructor\(\)'/);
    await assert.rejects(e('map.toString()'), /map has no member 'toString\(\)'; map members: size/);
    await assert.rejects(e('list.push(1)'), /list has no member 'push\(\)'/);
    await assert.rejects(e('map.nested.deep.toString()'), /boolean has no member 'toString\(\)' \(at/);
    await assert.rejects(e('message.class'), /'message\.class' is not defined; string members: length/);
    await assert.rejects(e('message.__proto__'), /is not defined/);
    await assert.rejects(e('list.length'), /'list\.length' is not defined; list members: size/);
    await assert.rejects(e('secretMap.inherited'), /is not defined/);
    // Class instances (anything but plain data) have no members at all.
    await assert.rejects(e("secretMap.get('inherited')"), /object has no member 'get\(\)' \(at/);
  });

  test('wrong arguments and out-of-range indexes fail with Java-like reasons', async () => {
    await assert.rejects(
      e('message.substring(5, 100)'),
      /'message\.substring\(\.\.\.\)': begin 5, end 100 out of bounds for length 12/,
    );
    await assert.rejects(e('message.substring()'), /'substring\(\)' of a string takes 1 to 2 arguments, got 0/);
    await assert.rejects(e('message.length(1)'), /'length\(\)' of a string takes 0 arguments, got 1/);
    await assert.rejects(e("message.substring('a')"), /argument 1 must be an integer, got string/);
    await assert.rejects(e('message.contains(list)'), /argument 1 must be a string, got list/);
    await assert.rejects(e('list.get(3)'), /index 3 out of bounds for length 3/);
    await assert.rejects(e('noItems.first'), /the list is empty/);
    await assert.rejects(e("message.contains(s='x')"), /positional arguments only/);
    await assert.rejects(e("'ab'.repeat(100000000)"), /character limit/);
    await assert.rejects(e("'ab'.repeat(1000000).replace('a', 'long replacement text')"), /character limit/);
    await assert.rejects(e("'ab'.repeat(1000000).replaceAll('b', 'long replacement text')"), /character limit/);
  });

  test('members work inside templates with async host functions', async () => {
    const out = await render("{{ fetch('k').trim().length }} {{ fetch('k').split(' ').size() }}", {
      variables: {},
      functions: { fetch: async () => ' two words ' },
    });
    // Java keeps the leading empty string of ' two words '.split(' ').
    assert.equal(out, '9 3');
  });
});
