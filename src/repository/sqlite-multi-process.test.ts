import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { openRepository } from './open-repository.ts';

const run = promisify(execFile);
const child = join(import.meta.dirname, 'testing', 'sqlite-worker-child.ts');

test('two processes writing one SQLite file share a queue without duplicates and leave it intact', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wh-repo-multi-'));
  try {
    const repository = await openRepository({ dataDir });
    for (let i = 0; i < 300; i++) await repository.queue.enqueue('multi', i);
    await repository.close();
    const outputs = await Promise.all(
      ['p1', 'p2'].map((name) =>
        run(process.execPath, ['--import', 'tsx', child, dataDir, name], { timeout: 120_000 }),
      ),
    );
    const results = outputs.map((o) => JSON.parse(o.stdout) as { claimed: number[]; saved: number });
    const claimed = results.flatMap((r) => r.claimed);
    assert.equal(claimed.length, 300, 'every item claimed once across both processes');
    assert.equal(new Set(claimed).size, 300);

    const reopened = await openRepository({ dataDir });
    const saved = results.reduce((n, r) => n + r.saved, 0);
    assert.equal((await reopened.executions.search({ namespace: 'multi', size: 1 })).total, saved);
    await reopened.close();
    const db = new Database(join(dataDir, 'windhover.db'), { readonly: true });
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    db.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
