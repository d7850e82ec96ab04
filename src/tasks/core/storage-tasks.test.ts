import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { storageConcatTask } from './storage-concat-task.ts';
import { storageSizeTask } from './storage-size-task.ts';
import { createTestContext, runTask } from './test-context.ts';

const ctx = createTestContext();
after(() => ctx.dispose());
const text = (value: string) => new TextEncoder().encode(value);

describe('storage tasks', () => {
  test('Size outputs the byte size', async () => {
    const uri = await ctx.storage.put('a.txt', text('héllo'));
    assert.deepEqual(await runTask(storageSizeTask, ctx, { uri }), { size: 6 });
    await assert.rejects(
      runTask(storageSizeTask, ctx, { uri: 'kestra:///nope.txt' }),
      /no file at 'kestra:\/\/\/nope.txt'/,
    );
  });

  test('Concat joins files in order with a separator', async () => {
    const first = await ctx.storage.put('1.txt', text('one'));
    const second = await ctx.storage.put('2.txt', text('two'));
    const output = await runTask(storageConcatTask, ctx, { files: [first, second], separator: '\n', extension: 'txt' });
    assert.match(String(output.uri), /\.txt$/);
    assert.equal(Buffer.from(await ctx.storage.get(String(output.uri))).toString(), 'one\ntwo');
  });

  test('Concat accepts a JSON list and fails on a missing file', async () => {
    const first = await ctx.storage.put('1.txt', text('a'));
    const output = await runTask(storageConcatTask, ctx, { files: JSON.stringify([first, first]) });
    assert.equal(Buffer.from(await ctx.storage.get(String(output.uri))).toString(), 'aa');
    await assert.rejects(
      runTask(storageConcatTask, ctx, { files: [first, 'kestra:///missing'] }),
      /no file at 'kestra:\/\/\/missing'/,
    );
  });
});
