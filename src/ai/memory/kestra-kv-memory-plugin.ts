import { defineSubPlugin } from '../../plugin/define-plugin.ts';
import type { ChatMemoryStoreV1 } from './chat-memory-store.ts';
import { decodeStoredConversation, encodeMessages } from './memory-message-codec.ts';
import type { MemoryImplementation } from './memory-plugin.ts';
import { memoryBaseProperties } from './memory-properties.ts';

/** The KV store's key syntax (B.9). */
const KV_KEY = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

const implementation: MemoryImplementation = {
  async open(_properties, context): Promise<ChatMemoryStoreV1> {
    const { kv, namespace, logger } = context;
    const keyOf = (memoryId: string) => {
      if (!KV_KEY.test(memoryId)) {
        throw Object.assign(
          new Error(
            `memory.memoryId: '${memoryId}' cannot be a KV key in namespace ${namespace}; use letters, digits, ` +
              `'.', '_' and '-', starting with a letter or digit`,
          ),
          { isRetryable: false },
        );
      }
      return memoryId;
    };
    return {
      specificationVersion: 'v1',
      name: 'KestraKVStore',
      async load(memoryId) {
        const entry = await kv.get(namespace, keyOf(memoryId));
        if (!entry) return undefined;
        return decodeStoredConversation(
          entry.value,
          `memory: the KV entry '${memoryId}' of namespace ${namespace}`,
          logger,
        );
      },
      async save(memoryId, messages, ttlMs) {
        await kv.set({
          namespace,
          key: keyOf(memoryId),
          type: 'JSON',
          value: encodeMessages(messages),
          description: 'Chat memory of io.kestra.plugin.ai.memory.KestraKVStore',
          ttlMs,
        });
      },
      async delete(memoryId) {
        await kv.delete(namespace, keyOf(memoryId));
      },
      async close() {},
    };
  },
};

/** `memory.KestraKVStore`: conversations in the flow namespace's KV store, one key per memory id. */
export const kestraKvMemoryPlugin = defineSubPlugin({
  type: 'io.kestra.plugin.ai.memory.KestraKVStore',
  aliases: ['io.kestra.plugin.langchain4j.memory.KestraKVStore'],
  category: 'memory',
  title: 'Chat memory in the KV store',
  description:
    'Keeps the conversation in the KV store of the flow namespace, under the key `memoryId`, as a JSON list ' +
    'of messages that expires after `ttl`. Visible and editable in the KV store page and API.',
  properties: memoryBaseProperties,
  implementation,
  examples: [
    {
      title: 'Two chats that share a conversation',
      code: `id: chat_with_memory
namespace: company.ai
tasks:
  - id: first
    type: io.kestra.plugin.ai.rag.ChatCompletion
    prompt: Hi, my name is John and I live in New York!
  - id: second
    type: io.kestra.plugin.ai.rag.ChatCompletion
    prompt: What's my name and where do I live?
pluginDefaults:
  - type: io.kestra.plugin.ai.rag.ChatCompletion
    values:
      chatProvider:
        type: io.kestra.plugin.ai.provider.OpenAI
        apiKey: "{{ secret('OPENAI_API_KEY') }}"
        modelName: gpt-5-mini
      memory:
        type: io.kestra.plugin.ai.memory.KestraKVStore
        ttl: PT1M
        messages: 5
`,
    },
  ],
});
