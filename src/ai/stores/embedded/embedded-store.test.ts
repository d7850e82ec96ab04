import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEmbeddingStoreConformance } from '../embedding-store.conformance.ts';
import { EmbeddedEmbeddingStore } from './embedded-store.ts';

const root = mkdtempSync(join(tmpdir(), 'windhover-embedded-store-'));

runEmbeddingStoreConformance('embedded store', {
  persistent: true,
  open: async (name) => EmbeddedEmbeddingStore.open(join(root, name)),
  cleanup: async () => rmSync(root, { recursive: true, force: true }),
});
