import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { KvAccess } from '../../../plugin/run-context.ts';
import { openRepository } from '../../../repository/open-repository.ts';

/**
 * The KV store a task sees, over a real SQLite repository in a new temp directory named after
 * `prefix`; the repository is closed when the test file ends.
 */
export async function openRepositoryKv(prefix: string): Promise<KvAccess> {
  const repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), prefix)) });
  after(() => repository.close());
  return {
    get: (namespace, key) => repository.kv.get(namespace, key),
    set: (entry) => repository.kv.set(entry),
    list: (namespace, prefix) => repository.kv.list(namespace, prefix === undefined ? {} : { prefix }),
    delete: (namespace, key) => repository.kv.delete(namespace, key),
  };
}
