import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRepository } from './open-repository.ts';
import { repositoryConformance } from './repository.conformance.ts';

repositoryConformance('SQLite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wh-repo-sqlite-'));
  return {
    open: () => openRepository({ dataDir }),
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
});
