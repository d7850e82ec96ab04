import type { z } from 'zod';
import { coerceToSchema } from '../../engine/coerce-to-schema.ts';
import type { SubPluginDefinition } from '../../plugin/define-plugin.ts';
import { parseDuration } from '../../plugin/dynamic.ts';
import type { PluginConfig } from '../../plugin/plugin-ref.ts';
import type { PluginRegistry } from '../../plugin/plugin-registry.ts';
import type { KvAccess, SharedResources, TaskLogger } from '../../plugin/run-context.ts';
import { ChatMemorySession } from './chat-memory-session.ts';
import type { ChatMemoryStoreV1 } from './chat-memory-store.ts';
import type { DropPolicy } from './memory-properties.ts';

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
export interface MemoryImplementation {
  open(properties: Record<string, unknown>, context: MemoryOpenContext): Promise<ChatMemoryStoreV1>;
}

/** A chat memory sub-plugin definition (category `memory`). */
export type MemoryDefinition = SubPluginDefinition<z.ZodObject, MemoryImplementation>;

/**
 * Opens the conversation a `memory:` property describes (rendered), with the window size, ttl,
 * memory id and drop policy applied by the returned session.
 */
export async function openChatMemory(
  registry: PluginRegistry,
  config: PluginConfig,
  context: MemoryOpenContext,
): Promise<ChatMemorySession> {
  const found = registry.get(config.type);
  if (found?.category !== 'memory' || !('implementation' in found)) {
    const known = registry.names('memory').sort().join(', ');
    throw new Error(`memory.type: unknown chat memory '${config.type}'; known: ${known}`);
  }
  const definition = found as MemoryDefinition;
  const { type: _type, ...raw } = config;
  const parsed = definition.properties.safeParse(coerceToSchema(raw, definition.properties));
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${['memory', ...issue.path.map(String)].join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`${config.type}: invalid properties: ${problems}`);
  }
  const properties = parsed.data as Record<string, unknown>;
  const store = await definition.implementation.open(properties, context);
  return new ChatMemorySession(store, {
    memoryId: typeof properties.memoryId === 'string' ? properties.memoryId : context.defaultMemoryId,
    maxMessages: Number(properties.messages),
    ttlMs: parseDuration(String(properties.ttl)),
    drop: String(properties.drop) as DropPolicy,
  });
}
