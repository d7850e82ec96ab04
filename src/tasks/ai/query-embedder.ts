import { embedMany } from '../../ai/embed-many.ts';
import { EmbeddingCache } from '../../ai/embedding-cache.ts';
import { createEmbeddingModel } from '../../ai/providers/provider-plugin.ts';
import type { EmbeddingModelV1 } from '../../ai/spec/embedding-model.ts';
import type { PluginConfig } from '../../plugin/plugin-ref.ts';
import type { RunContext } from '../../plugin/run-context.ts';
import { providerContextOf } from './ai-contexts.ts';
import { pluginRegistryOf } from './registry-access.ts';

/** The embedding model of a provider sub-plugin with the shared on-disk embedding cache. */
export async function openEmbedder(ctx: RunContext, provider: PluginConfig) {
  const model = await createEmbeddingModel(pluginRegistryOf(ctx), provider, providerContextOf(ctx));
  const cache = await EmbeddingCache.shared(ctx.dataDir, ctx.resources);
  return {
    model,
    cache,
    /** Embeds one query; a repeated query is served by the cache. */
    async embedQuery(query: string): Promise<Float32Array> {
      const result = await embedMany(model, [query], { signal: ctx.signal, cache });
      return result.embeddings[0]!;
    },
  };
}

/** `provider/model[/settings]`: what ingestion fingerprints so a model change re-embeds. */
export function embeddingModelKey(model: EmbeddingModelV1): string {
  return [model.provider, model.modelId, model.settingsKey].filter(Boolean).join('/');
}
