import type { PluginConfig } from '../../plugin/plugin-ref.ts';
import type { PluginRegistry } from '../../plugin/plugin-registry.ts';
import type { SharedResources, TaskLogger } from '../../plugin/run-context.ts';
import type { EmbeddingStoreV1 } from '../spec/embedding-store.ts';

/** What a store needs from the task that opens it. */
export interface StoreOpenContext {
  /** Data directory of this instance; the embedded store lives below it. */
  dataDir: string;
  namespace: string;
  flowId: string;
  signal: AbortSignal;
  logger: TaskLogger;
  /** Per-process cache: open stores are kept here so each task run does not reload an index. */
  resources: SharedResources;
}

/** The `implementation` of an `embeddings` sub-plugin definition. */
export interface StoreImplementation {
  /**
   * Opens (creating when missing) the store described by the plugin's rendered properties.
   * With `drop`, the store is emptied first (the reference's `drop: true`).
   */
  open(
    properties: Record<string, unknown>,
    context: StoreOpenContext,
    options: { drop: boolean },
  ): Promise<EmbeddingStoreV1>;
}

function isStoreImplementation(value: unknown): value is StoreImplementation {
  return typeof value === 'object' && value !== null && typeof (value as { open?: unknown }).open === 'function';
}

/**
 * Opens the store chosen by an `embeddings:` property (`type:` plus its properties, already
 * rendered). Properties are validated against the plugin's schema so defaults apply and a
 * wrong value is reported with its property name.
 */
export async function openEmbeddingStore(
  registry: PluginRegistry,
  config: PluginConfig,
  context: StoreOpenContext,
  options: { drop: boolean },
): Promise<EmbeddingStoreV1> {
  const definition = registry.get(config.type);
  if (definition?.category !== 'embeddings') {
    const known = registry.names('embeddings').sort().join(', ');
    throw new Error(`embeddings.type: unknown embedding store '${config.type}'; known: ${known}`);
  }
  if (!('implementation' in definition) || !isStoreImplementation(definition.implementation)) {
    throw new Error(`embeddings.type: '${config.type}' has no store implementation`);
  }
  const { type: _type, ...rest } = config;
  const parsed = definition.properties.safeParse(rest);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `embeddings.${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new Error(`invalid properties for embedding store '${config.type}': ${problems}`);
  }
  return definition.implementation.open(parsed.data as Record<string, unknown>, context, options);
}
