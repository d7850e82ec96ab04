import type { z } from 'zod';
import { coerceToSchema } from '../../engine/coerce-to-schema.ts';
import type { SubPluginDefinition } from '../../plugin/define-plugin.ts';
import type { PluginConfig } from '../../plugin/plugin-ref.ts';
import type { PluginRegistry } from '../../plugin/plugin-registry.ts';
import type { SharedResources, TaskLogger } from '../../plugin/run-context.ts';
import { UnsupportedFeatureError } from '../errors.ts';
import type { ChatModelV1 } from '../spec/chat-model.ts';
import type { EmbeddingModelV1 } from '../spec/embedding-model.ts';

/** What a provider may use while building a model. */
export interface ProviderContext {
  /** The instance's data directory (local models and the embedding cache live below it). */
  dataDir: string;
  logger: TaskLogger;
  /** Per-process cache: local models load once per process through it. */
  resources: SharedResources;
  signal: AbortSignal;
}

/** The `implementation` of a provider sub-plugin; a provider without a capability leaves it out. */
export interface ProviderImplementation {
  embeddingModel?(properties: Record<string, unknown>, context: ProviderContext): Promise<EmbeddingModelV1>;
  chatModel?(properties: Record<string, unknown>, context: ProviderContext): Promise<ChatModelV1>;
}

/** A provider sub-plugin definition. */
export type ProviderDefinition = SubPluginDefinition<z.ZodObject, ProviderImplementation>;

/** Builds the embedding model a flow's `embeddingProvider:` (or `provider:`) asks for. */
export async function createEmbeddingModel(
  registry: PluginRegistry,
  config: PluginConfig,
  context: ProviderContext,
): Promise<EmbeddingModelV1> {
  const { definition, properties } = resolve(registry, config);
  const build =
    definition.implementation.embeddingModel ??
    missingCapability(
      definition,
      `${config.type} has no embedding model; set embeddingProvider to a provider with embeddings, ` +
        `e.g. io.kestra.plugin.ai.provider.OpenAI, GoogleGemini, MistralAI, Ollama or io.windhover.plugin.ai.provider.Local (offline)`,
    );
  return build(properties, context);
}

/** Builds the chat model a flow's `provider:` asks for. */
export async function createChatModel(
  registry: PluginRegistry,
  config: PluginConfig,
  context: ProviderContext,
): Promise<ChatModelV1> {
  const { definition, properties } = resolve(registry, config);
  const build =
    definition.implementation.chatModel ??
    missingCapability(definition, `${config.type} has no chat model; choose another provider`);
  return build(properties, context);
}

function missingCapability(definition: ProviderDefinition, message: string): never {
  throw new UnsupportedFeatureError(message, { provider: definition.type });
}

function resolve(registry: PluginRegistry, config: PluginConfig) {
  const found = registry.get(config.type);
  if (found?.category !== 'provider') {
    const known = registry.names('provider').sort().join(', ');
    throw new Error(`provider.type: unknown model provider '${config.type}'; known: ${known}`);
  }
  const definition = found as ProviderDefinition;
  const { type: _type, ...raw } = config;
  const parsed = definition.properties.safeParse(coerceToSchema(raw, definition.properties));
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${['provider', ...issue.path.map(String)].join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`${config.type}: invalid properties: ${problems}`);
  }
  return { definition, properties: parsed.data as Record<string, unknown> };
}
