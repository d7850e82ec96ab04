// Run as a separate process by embedded-store.test.ts: writes sources into a store while
// the test process (and another copy of this script) writes into the same store.
import { EmbeddedEmbeddingStore } from './embedded-store.ts';

const [directory, prefix, countText] = process.argv.slice(2);
if (!directory || !prefix || !countText)
  throw new Error('usage: concurrent-writer.fixture.ts <directory> <prefix> <count>');
const store = EmbeddedEmbeddingStore.open(directory);
for (let i = 0; i < Number(countText); i++) {
  const vector = new Float32Array(8);
  vector[i % 8] = 1;
  await store.replaceSources([
    {
      source: `${prefix}-${i}`,
      sourceHash: `h${i}`,
      chunks: [0, 1].map((j) => ({
        id: `${prefix}-${i}#${j}`,
        vector,
        text: `${prefix} ${i} ${j}`,
        metadata: { writer: prefix },
        source: `${prefix}-${i}`,
        sourceHash: `h${i}`,
      })),
    },
  ]);
  await store.search({ vector, maxResults: 3 });
}
await store.close();
