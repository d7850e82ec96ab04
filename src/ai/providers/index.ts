import { anthropicProvider } from './anthropic/anthropic-provider.ts';
import { geminiProvider } from './gemini/gemini-provider.ts';
import { localProvider } from './local/local-provider.ts';
import { mistralProvider } from './mistral/mistral-provider.ts';
import { ollamaProvider } from './ollama/ollama-provider.ts';
import { openAiCompatibleProviders } from './openai/openai-compatible-providers.ts';
import { openAiProvider } from './openai/openai-provider.ts';
import type { ProviderDefinition } from './provider-plugin.ts';

export type { ProviderContext, ProviderImplementation } from './provider-plugin.ts';
export { createChatModel, createEmbeddingModel } from './provider-plugin.ts';

/** Every model provider sub-plugin, for the default registry. */
export const providerPlugins: ProviderDefinition[] = [
  localProvider,
  openAiProvider,
  anthropicProvider,
  ollamaProvider,
  mistralProvider,
  geminiProvider,
  ...openAiCompatibleProviders,
] as ProviderDefinition[];
