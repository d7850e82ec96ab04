import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createHarness } from './testing/engine-harness.ts';
import { attemptStates, taskRunOf, taskRunsOf } from './testing/task-runs.ts';

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
    const long = taskRunOf(done, 'long');
    assert.deepEqual(attemptStates(long), ['FAILED', 'SUCCESS']);
    assert.match(long.attempts[0]?.error?.message ?? '', /interrupted/);
    assert.equal(taskRunsOf(done, 'before').length, 1);
    assert.equal((await h.repository.executions.search({ flowId: 'crashy' })).total, 1);
    assert.ok(await h.logged(executionId, 'interrupted by a restart'));
  } finally {
    await h.close();
  }
});

test('a graceful stop leaves running attempts to the next start instead of failing them', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wh-stop-'));
  const first = await createHarness({ dataDir });
  const created = await first.start(`id: stoppable
namespace: company.team
tasks:
  - id: long
    type: io.windhover.test.Wait
    ms: "{{ taskrun.attemptsCount > 1 ? 10 : 600000 }}"
    retry: { type: constant, interval: PT0.01S, maxAttempts: 2 }
`);
  await first.waitUntil(created.id, (stored) => stored.taskRuns[0]?.state.current === 'RUNNING', { stored: true });
  await first.close();

  const second = await createHarness({ dataDir });
  try {
    await second.engine.start();
    const done = await second.engine.waitForTerminal(created.id);
    assert.equal(done.state.current, 'SUCCESS');
    assert.equal(done.taskRuns[0]?.attempts.length, 2);
  } finally {
    await second.close();
  }
});
