import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { InputSpec } from './flow-types.ts';
import { InputValidationError, resolveInputs, secretInputIds } from './inputs.ts';

const stored: string[] = [];
const options = {
  storeFile: async (inputId: string, file: { filename: string; data: Uint8Array }) => {
    stored.push(`${inputId}:${file.filename}:${file.data.length}`);
    return `kestra:///inputs/${inputId}/${file.filename}`;
  },
};

async function violationsOf(specs: InputSpec[], raw: Record<string, unknown>): Promise<Record<string, string>> {
  try {
    await resolveInputs(specs, raw, options);
  } catch (error) {
    assert.ok(error instanceof InputValidationError);
    return Object.fromEntries(error.violations.map((v) => [v.input, v.message]));
  }
  assert.fail('expected an InputValidationError');
}

describe('resolveInputs', () => {
  test('coerces strings from the CLI and forms into each type', async () => {
    const specs: InputSpec[] = [
      { id: 'name', type: 'STRING', validator: '[a-z]+' },
      { id: 'count', type: 'INT', min: 1, max: 10 },
      { id: 'ratio', type: 'FLOAT' },
      { id: 'flag', type: 'BOOLEAN' },
      { id: 'toggle', type: 'BOOL' },
      { id: 'color', type: 'SELECT', values: ['red', 'blue'] },
      { id: 'tags', type: 'MULTISELECT', values: ['a', 'b', 'c'] },
      { id: 'level', type: 'ENUM', values: ['LOW', 'HIGH'] },
      { id: 'when', type: 'DATETIME', after: '2020-01-01T00:00:00Z' },
      { id: 'day', type: 'DATE', before: '2030-01-01' },
      { id: 'at', type: 'TIME' },
      { id: 'wait', type: 'DURATION', min: 'PT1S', max: 'PT1H' },
      { id: 'config', type: 'JSON' },
      { id: 'doc', type: 'YAML' },
      { id: 'site', type: 'URI' },
      { id: 'numbers', type: 'ARRAY', itemType: 'INT' },
      { id: 'mail', type: 'EMAIL' },
      { id: 'token', type: 'SECRET' },
    ];
    const inputs = await resolveInputs(
      specs,
      {
        name: 'abc',
        count: '3',
        ratio: '0.5',
        flag: 'true',
        toggle: false,
        color: 'red',
        tags: '["a","c"]',
        level: 'HIGH',
        when: '2025-01-31T10:00:00Z',
        day: '2025-01-31',
        at: '10:30',
        wait: 'PT10M',
        config: '{"k":[1,2]}',
        doc: 'k: v\nlist: [1, 2]',
        site: 'https://example.com/a',
        numbers: ['1', 2],
        mail: 'a@example.com',
        token: 's3cret',
      },
      options,
    );
    assert.deepEqual(inputs, {
      name: 'abc',
      count: 3,
      ratio: 0.5,
      flag: true,
      toggle: false,
      color: 'red',
      tags: ['a', 'c'],
      level: 'HIGH',
      when: '2025-01-31T10:00:00Z',
      day: '2025-01-31',
      at: '10:30',
      wait: 'PT10M',
      config: { k: [1, 2] },
      doc: { k: 'v', list: [1, 2] },
      site: 'https://example.com/a',
      numbers: [1, 2],
      mail: 'a@example.com',
      token: 's3cret',
    });
    assert.deepEqual([...secretInputIds(specs)], ['token']);
  });

  test('lists every invalid input at once, saying why', async () => {
    const violations = await violationsOf(
      [
        { id: 'name', type: 'STRING', validator: '[a-z]+' },
        { id: 'count', type: 'INT', max: 10 },
        { id: 'whole', type: 'INT' },
        { id: 'color', type: 'SELECT', values: ['red', 'blue'] },
        { id: 'when', type: 'DATETIME', before: '2020-01-01T00:00:00Z' },
        { id: 'wait', type: 'DURATION' },
        { id: 'config', type: 'JSON' },
        { id: 'missing', type: 'STRING' },
        { id: 'mail', type: 'EMAIL' },
        { id: 'flag', type: 'BOOLEAN' },
        { id: 'token', type: 'SECRET', validator: '\\d+' },
      ],
      {
        name: 'ABC',
        count: 11,
        whole: '1.5',
        color: 'green',
        when: '2025-01-31T10:00:00Z',
        wait: '10 minutes',
        config: '{oops',
        mail: 'nope',
        flag: 'maybe',
        token: 'abc',
      },
    );
    assert.deepEqual(Object.keys(violations).sort(), [
      'color',
      'config',
      'count',
      'flag',
      'mail',
      'missing',
      'name',
      'token',
      'wait',
      'when',
      'whole',
    ]);
    assert.match(violations.count ?? '', /at most 10/);
    assert.match(violations.color ?? '', /not one of 'red', 'blue'/);
    assert.match(violations.wait ?? '', /ISO-8601 duration such as PT10M/);
    assert.match(violations.missing ?? '', /is required/);
    assert.doesNotMatch(violations.token ?? '', /abc/, 'a secret value never appears in an error');
  });

  test('applies defaults, skips optional inputs and nests dotted ids', async () => {
    const inputs = await resolveInputs(
      [
        { id: 'user.name', type: 'STRING', defaults: 'ada' },
        { id: 'user.age', type: 'INT' },
        { id: 'optional', type: 'STRING', required: false },
        { id: 'started', type: 'DATETIME', defaults: '{{ now() }}' },
      ],
      { 'user.age': '36' },
      options,
    );
    assert.deepEqual(inputs, { user: { name: 'ada', age: 36 }, started: '{{ now() }}' });
  });

  test('stores uploaded files and checks their extension', async () => {
    const specs: InputSpec[] = [{ id: 'doc', type: 'FILE', allowedFileExtensions: ['.pdf', 'txt'] }];
    const data = new TextEncoder().encode('hello');
    const inputs = await resolveInputs(specs, {}, { ...options, files: { doc: { filename: 'a.TXT', data } } });
    assert.deepEqual(inputs, { doc: 'kestra:///inputs/doc/a.TXT' });
    assert.ok(stored.includes('doc:a.TXT:5'));
    await assert.rejects(
      resolveInputs(specs, {}, { ...options, files: { doc: { filename: 'a.exe', data } } }),
      /extension that is not allowed/,
    );
  });

  test('ARRAY accepts a JSON string or a list and checks each item', async () => {
    const specs: InputSpec[] = [{ id: 'xs', type: 'ARRAY', itemType: 'FLOAT' }];
    assert.deepEqual(await resolveInputs(specs, { xs: '[1, 2.5]' }, options), { xs: [1, 2.5] });
    const violations = await violationsOf(specs, { xs: ['1', 'x'] });
    assert.match(violations.xs ?? '', /item 1: expected a number/);
  });
});
