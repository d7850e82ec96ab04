import { parseDuration } from '../../plugin/dynamic.ts';
import type { PluginConfig } from '../../plugin/plugin-ref.ts';
import type { PluginRegistry } from '../../plugin/plugin-registry.ts';
import type { KvAccess, SharedResources, TaskLogger } from '../../plugin/run-context.ts';
import { ChatMemorySession } from './chat-memory-session.ts';
import type { ChatMemoryStoreV1 } from './chat-memory-store.ts';
import type { DropPolicy } from './memory-properties.ts';
import { type OpeningImplementation, resolveSubPlugin } from './resolve-sub-plugin.ts';

/** What a memory may use while opening. */
export interface MemoryOpenContext {
  /** The flow's namespace: the KV memory stores conversations there. */
  namespace: string;
  kv: KvAccess;
  signal: AbortSignal;
  logger: TaskLogger;
  resources: SharedResources;
  /** The memory id when the flow sets none (the correlation id, else the execution id). */
  defaultMemoryId: string;
}

/** The `implementation` of a `memory` sub-plugin: opens its backend. */
export type MemoryImplementation = OpeningImplementation<MemoryOpenContext, ChatMemoryStoreV1>;

/**
 * Opens the conversation a `memory:` property describes (rendered), with the window size, ttl,
 * memory id and drop policy applied by the returned session.
 */
export async function openChatMemory(
  registry: PluginRegistry,
  config: PluginConfig,
  context: MemoryOpenContext,
): Promise<ChatMemorySession> {
  const { definition, properties } = resolveSubPlugin<MemoryImplementation>(registry, config, {
    category: 'memory',
    noun: 'chat memory',
    where: 'memory',
  });
  const store = await definition.implementation.open(properties, context);
  return new ChatMemorySession(store, {
    memoryId: typeof properties.memoryId === 'string' ? properties.memoryId : context.defaultMemoryId,
    maxMessages: Number(properties.messages),
    ttlMs: parseDuration(String(properties.ttl)),
    drop: String(properties.drop) as DropPolicy,
  });
}
