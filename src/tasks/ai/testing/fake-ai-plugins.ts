import { z } from 'zod';
import { bagOfWordsVector } from '../../../ai/ingestion/testing/fake-embedder.ts';
import { MemoryEmbeddingStore } from '../../../ai/ingestion/testing/memory-embedding-store.ts';
import type { ProviderImplementation } from '../../../ai/providers/provider-plugin.ts';
import type { ChatMessage, ChatModelV1 } from '../../../ai/spec/chat-model.ts';
import type { EmbeddingModelV1 } from '../../../ai/spec/embedding-model.ts';
import type { StoreImplementation } from '../../../ai/stores/store-plugin.ts';
import { defineSubPlugin } from '../../../plugin/define-plugin.ts';

/** What the fake plugins saw, for assertions. */
export const fakeCalls = { embedCalls: 0, embeddedTexts: 0, chatRequests: [] as ChatMessage[][] };

export function resetFakeCalls(): void {
  fakeCalls.embedCalls = 0;
  fakeCalls.embeddedTexts = 0;
  fakeCalls.chatRequests = [];
}

const embeddingModel = (modelName: string): EmbeddingModelV1 => ({
  specificationVersion: 'v1',
  provider: 'fake',
  modelId: modelName,
  dimensions: 64,
  maxEmbeddingsPerCall: 16,
  supportsParallelCalls: false,
  async doEmbed({ values }) {
    fakeCalls.embedCalls++;
    fakeCalls.embeddedTexts += values.length;
    return { embeddings: values.map((value) => bagOfWordsVector(value)), usage: { inputTokens: values.length } };
  },
});

const chatModel = (options: { contextWindowTokens?: number; answer?: string }): ChatModelV1 => ({
  specificationVersion: 'v1',
  provider: 'fake',
  modelId: 'echo',
  contextWindowTokens: options.contextWindowTokens,
  async doGenerate({ messages, sources }) {
    fakeCalls.chatRequests.push(messages);
    const text =
      options.answer ?? (sources?.length ? `From the sources: ${sources[0]?.content} [1]` : 'I do not know.');
    return { text, finishReason: 'STOP', usage: { inputTokens: 10, outputTokens: 5 } };
  },
});

/** A provider with a bag-of-words embedding model and a chat model that cites its first source. */
export const fakeProvider = defineSubPlugin({
  type: 'io.windhover.test.FakeProvider',
  category: 'provider',
  title: 'Fake provider (tests)',
  description: 'Deterministic embeddings and chat for tests.',
  properties: z.object({
    modelName: z.string().default('bow'),
    contextWindowTokens: z.number().optional(),
    answer: z.string().optional(),
  }),
  implementation: {
    async embeddingModel(props) {
      return embeddingModel(String(props.modelName));
    },
    async chatModel(props) {
      return chatModel({
        contextWindowTokens: props.contextWindowTokens as number | undefined,
        answer: props.answer as string | undefined,
      });
    },
  } satisfies ProviderImplementation,
});

const stores = new Map<string, MemoryEmbeddingStore>();

/** An in-memory store shared by name across task runs; `fullText: false` mimics stores without BM25. */
export const fakeStore = defineSubPlugin({
  type: 'io.windhover.test.MemoryStore',
  category: 'embeddings',
  title: 'Memory store (tests)',
  description: 'In-memory embedding store for tests.',
  properties: z.object({ name: z.string().default('default'), fullText: z.boolean().default(true) }),
  implementation: {
    async open(props, _context, { drop }) {
      const name = String(props.name);
      let store = stores.get(name);
      if (!store) {
        store = new MemoryEmbeddingStore({ fullText: props.fullText !== false });
        stores.set(name, store);
      }
      if (drop) await store.drop();
      return store;
    },
  } satisfies StoreImplementation,
});

export function fakeStoreNamed(name: string): MemoryEmbeddingStore | undefined {
  return stores.get(name);
}
