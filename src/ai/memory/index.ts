import type { SubPluginDefinition } from '../../plugin/define-plugin.ts';
import { kestraKvMemoryPlugin } from './kestra-kv-memory-plugin.ts';
import { postgresMemoryPlugin } from './postgres-memory-plugin.ts';

export type { ChatMemorySettings } from './chat-memory-session.ts';
export { ChatMemorySession } from './chat-memory-session.ts';
export type { ChatMemoryStoreV1 } from './chat-memory-store.ts';
export type { MemoryImplementation, MemoryOpenContext } from './memory-plugin.ts';
export { openChatMemory } from './memory-plugin.ts';

/**
 * Every chat memory sub-plugin (category `memory`), for the default registry. `Redis` is not
 * implemented (no Redis client in the dependencies): the flow model reports it as unsupported.
 */
export const memoryPlugins: SubPluginDefinition[] = [kestraKvMemoryPlugin, postgresMemoryPlugin].map(
  (plugin) => plugin as unknown as SubPluginDefinition,
);
