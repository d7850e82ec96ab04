import { after } from 'node:test';
import type { PluginConfig } from '../../../plugin/plugin-ref.ts';
import { PluginRegistry } from '../../../plugin/plugin-registry.ts';
import type { ChatModelV1 } from '../../spec/chat-model.ts';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.ts';
import { providerPlugins } from '../index.ts';
import { createChatModel, createEmbeddingModel, type ProviderContext } from '../provider-plugin.ts';
import { type RecordedRequest, startWireServer, testProviderContext, type WireReply } from './wire-server.ts';

/** What the fake server answers; `index` counts the requests since `answer` was called (0 = the first). */
export type WireAnswer = (request: RecordedRequest, index: number) => WireReply;

/** The fake provider server of one test file, with the registry and context models are built through. */
export interface ProviderWireHarness {
  /** The server's base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  registry: PluginRegistry;
  context: ProviderContext;
  /** Answers every following request with `reply`; returns the requests received from now on, in order. */
  answer(reply: WireAnswer): RecordedRequest[];
  /** Builds the embedding model `config` asks for, as a task would. */
  embeddingModel(config: PluginConfig, context?: ProviderContext): Promise<EmbeddingModelV1>;
  /** Builds the chat model `config` asks for, as a task would. */
  chatModel(config: PluginConfig, context?: ProviderContext): Promise<ChatModelV1>;
}

/**
 * Waits (at most `timeoutMs`) until `seen` holds `count` requests. A client that gives up on a
 * request (timeout, abort) can have sent it before the server read it; on a loaded machine the
 * server then records it late, and it would count as the next test's. Tests whose requests hang
 * wait here for them before ending. Never fails: a request the client cancelled before sending
 * never arrives.
 */
export async function requestsArrived(seen: RecordedRequest[], count: number, timeoutMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (seen.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Starts the real HTTP server on 127.0.0.1 that a provider's wire-format tests talk to, and
 * closes it when the test file ends. Until `answer` is called every request gets a 500.
 */
export async function startProviderWireHarness(): Promise<ProviderWireHarness> {
  let reply: (request: RecordedRequest) => WireReply = () => ({ status: 500 });
  const server = await startWireServer((request) => reply(request));
  after(() => server.close());
  const registry = new PluginRegistry().register(...providerPlugins);
  const context = testProviderContext();
  return {
    url: server.url,
    registry,
    context,
    answer(next) {
      const seen: RecordedRequest[] = [];
      reply = (request) => {
        seen.push(request);
        return next(request, seen.length - 1);
      };
      return seen;
    },
    embeddingModel: (config, withContext = context) => createEmbeddingModel(registry, config, withContext),
    chatModel: (config, withContext = context) => createChatModel(registry, config, withContext),
  };
}
