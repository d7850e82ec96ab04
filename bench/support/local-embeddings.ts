import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embedMany } from '../../src/ai/embed-many.ts';
import { EmbeddingCache } from '../../src/ai/embedding-cache.ts';
import { providerPlugins } from '../../src/ai/providers/index.ts';
import { createEmbeddingModel } from '../../src/ai/providers/provider-plugin.ts';
import { ResourceCache } from '../../src/engine/shared-resources.ts';
import type { AnyPluginDefinition } from '../../src/plugin/define-plugin.ts';
import { PluginRegistry } from '../../src/plugin/plugin-registry.ts';
import type { TaskLogger } from '../../src/plugin/run-context.ts';

/** Where benches keep their embedding cache, so only the first run on a machine pays for the model. */
export const BENCH_CACHE_DIR = join(tmpdir(), 'windhover-bench-cache');

const quiet: TaskLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

/**
 * Embeds `texts` with the offline Local provider (USE-lite, 512-d) through the on-disk embedding
 * cache, printing progress; returns the vectors and the number of model calls made.
 */
export async function embedLocally(
  label: string,
  texts: string[],
): Promise<{ vectors: Float32Array[]; calls: number }> {
  const resources = new ResourceCache();
  const signal = new AbortController().signal;
  const registry = new PluginRegistry().register(...(providerPlugins as AnyPluginDefinition[]));
  const model = await createEmbeddingModel(
    registry,
    { type: 'io.windhover.plugin.ai.provider.Local' },
    { dataDir: BENCH_CACHE_DIR, logger: quiet, resources, signal },
  );
  const cache = EmbeddingCache.open(BENCH_CACHE_DIR);
  try {
    let last = 0;
    const result = await embedMany(model, texts, {
      signal,
      cache,
      onProgress: ({ done, total }) => {
        if (done - last >= 200 || done === total) {
          last = done;
          console.log(`  embedding ${label}: ${done}/${total}`);
        }
      },
    });
    return { vectors: result.embeddings, calls: result.calls };
  } finally {
    cache.close();
    await resources.closeAll();
  }
}
