import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createHarness } from './testing/engine-harness.ts';

test('an execution survives kill -9 of its process: the interrupted attempt is retried, nothing runs twice', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wh-crash-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'testing', 'crash-child.ts'), dataDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const executionId = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /RUNNING (\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));

  const h = await createHarness({ dataDir });
  try {
    await h.engine.start();
    const done = await h.engine.waitForTerminal(executionId);
    assert.equal(done.state.current, 'SUCCESS');
    const long = done.taskRuns.find((taskRun) => taskRun.taskId === 'long');
    assert.deepEqual(
      long?.attempts.map((attempt) => attempt.state.current),
      ['FAILED', 'SUCCESS'],
    );
    assert.match(long?.attempts[0]?.error?.message ?? '', /interrupted/);
    assert.equal(done.taskRuns.filter((taskRun) => taskRun.taskId === 'before').length, 1);
    assert.equal((await h.repository.executions.search({ flowId: 'crashy' })).total, 1);
    const logs = await h.logs(executionId);
    assert.ok(logs.some((line) => line.includes('interrupted by a restart')));
  } finally {
    await h.close();
  }
});
