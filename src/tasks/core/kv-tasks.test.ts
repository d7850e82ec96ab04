import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { kvDeleteTask } from './kv-delete-task.ts';
import { kvGetKeysTask } from './kv-get-keys-task.ts';
import { kvGetTask } from './kv-get-task.ts';
import { kvSetTask } from './kv-set-task.ts';
import { createTestContext, runTask } from './test-context.ts';

const ctx = createTestContext({ namespace: 'company.team' });
after(() => ctx.dispose());
const entry = (key: string, namespace = 'company.team') => ctx.kvEntries.get(`${namespace}\u0000${key}`);

describe('KV tasks', () => {
  test('Set stores in the flow namespace, inferring the type', async () => {
    await runTask(kvSetTask, ctx, { key: 'greeting', value: 'hello' });
    assert.equal(entry('greeting')?.type, 'STRING');
    assert.equal(entry('greeting')?.value, 'hello');
    await runTask(kvSetTask, ctx, { key: 'config', value: { a: 1 } });
    assert.equal(entry('config')?.type, 'JSON');
  });

  test('Set converts rendered text to the declared kvType', async () => {
    await runTask(kvSetTask, ctx, { key: 'count', value: '42', kvType: 'NUMBER' });
    assert.equal(entry('count')?.value, 42);
    await runTask(kvSetTask, ctx, { key: 'flag', value: 'true', kvType: 'BOOLEAN' });
    assert.equal(entry('flag')?.value, true);
    await runTask(kvSetTask, ctx, { key: 'doc', value: '{"a": [1]}', kvType: 'JSON' });
    assert.deepEqual(entry('doc')?.value, { a: [1] });
    await runTask(kvSetTask, ctx, { key: 'when', value: '2024-01-01T00:00:00Z', kvType: 'DATETIME' });
    await assert.rejects(
      runTask(kvSetTask, ctx, { key: 'n', value: 'abc', kvType: 'NUMBER' }),
      /'abc' is not a NUMBER/,
    );
    await assert.rejects(
      runTask(kvSetTask, ctx, { key: 'd', value: 'soon', kvType: 'DURATION' }),
      /not an ISO-8601 duration/,
    );
  });

  test('Set with a namespace, description and ttl', async () => {
    await runTask(kvSetTask, ctx, {
      key: 'other',
      value: 'x',
      namespace: 'company.other',
      ttl: 'PT1H',
      kvDescription: 'temp',
    });
    const stored = entry('other', 'company.other');
    assert.equal(stored?.description, 'temp');
    const expiresIn = Date.parse(stored?.expirationDate ?? '') - Date.now();
    assert.ok(expiresIn > 3_500_000 && expiresIn <= 3_600_000);
  });

  test('Set with overwrite false fails on an existing key', async () => {
    await assert.rejects(
      runTask(kvSetTask, ctx, { key: 'greeting', value: 'again', overwrite: false }),
      /already exists in namespace 'company.team'/,
    );
    assert.equal(entry('greeting')?.value, 'hello');
  });

  test('invalid keys are rejected with the rule', async () => {
    await assert.rejects(runTask(kvSetTask, ctx, { key: '-bad key', value: 'x' }), /letter or digit/);
    await assert.rejects(runTask(kvGetTask, ctx, { key: '{{ x }}' }), /not a valid KV key/);
  });

  test('Get returns the value, or null, or fails when asked', async () => {
    assert.deepEqual(await runTask(kvGetTask, ctx, { key: 'count' }), { value: 42 });
    assert.deepEqual(await runTask(kvGetTask, ctx, { key: 'other', namespace: 'company.other' }), { value: 'x' });
    assert.deepEqual(await runTask(kvGetTask, ctx, { key: 'absent' }), { value: null });
    await assert.rejects(runTask(kvGetTask, ctx, { key: 'absent', errorOnMissing: true }), /'absent' does not exist/);
  });

  test('Get treats an expired key as missing', async () => {
    await runTask(kvSetTask, ctx, { key: 'expired', value: 'x', ttl: 'PT0S' });
    assert.deepEqual(await runTask(kvGetTask, ctx, { key: 'expired' }), { value: null });
    await assert.rejects(runTask(kvGetTask, ctx, { key: 'expired', errorOnMissing: true }), /has expired/);
  });

  test('GetKeys lists live keys by prefix', async () => {
    const all = (await runTask(kvGetKeysTask, ctx, {})).keys as string[];
    assert.deepEqual(all, ['config', 'count', 'doc', 'flag', 'greeting', 'when']);
    assert.deepEqual(await runTask(kvGetKeysTask, ctx, { prefix: 'co' }), { keys: ['config', 'count'] });
    assert.deepEqual(await runTask(kvGetKeysTask, ctx, { namespace: 'company.other' }), { keys: ['other'] });
  });

  test('Delete reports whether the key existed', async () => {
    assert.deepEqual(await runTask(kvDeleteTask, ctx, { key: 'flag' }), { deleted: true });
    assert.deepEqual(await runTask(kvDeleteTask, ctx, { key: 'flag' }), { deleted: false });
    await assert.rejects(runTask(kvDeleteTask, ctx, { key: 'flag', errorOnMissing: true }), /'flag' does not exist/);
  });
});
