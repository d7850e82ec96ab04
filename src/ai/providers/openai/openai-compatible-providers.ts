import { z } from 'zod';
import { defineSubPlugin } from '../../../plugin/define-plugin.ts';
import { dynamic } from '../../../plugin/dynamic.ts';
import type { ProviderImplementation } from '../provider-plugin.ts';
import { apiKeyProperty } from '../provider-properties.ts';
import { openAiCompatibleImplementation, openAiProperties } from './openai-provider.ts';

interface CompatibleProvider {
  name: string;
  title: string;
  description: string;
  defaultBaseUrl?: string;
  secretName: string;
  apiKeyOptional?: boolean;
  chatOnly?: boolean;
  exampleModel: string;
}

/** Providers whose API is OpenAI's (reference A.5 `OpenAICompliantProvider` and kin). */
function compatible(spec: CompatibleProvider) {
  const type = `io.kestra.plugin.ai.provider.${spec.name}`;
  const full = openAiCompatibleImplementation({
    type,
    provider: spec.name.toLowerCase(),
    defaultBaseUrl: spec.defaultBaseUrl,
    secretName: spec.secretName,
    apiKeyOptional: spec.apiKeyOptional,
  });
  const implementation: ProviderImplementation = spec.chatOnly ? { chatModel: full.chatModel } : full;
  const baseUrl = spec.defaultBaseUrl
    ? dynamic(z.string().url())
        .optional()
        .meta({ description: `The API endpoint (default ${spec.defaultBaseUrl}).` })
    : dynamic(z.string().url()).meta({ description: 'The API endpoint, e.g. http://localhost:8080/v1.' });
  const properties = openAiProperties.extend({
    baseUrl,
    apiKey: spec.apiKeyOptional ? apiKeyProperty.optional() : apiKeyProperty,
  });
  return defineSubPlugin({
    type,
    aliases: [`io.kestra.plugin.langchain4j.provider.${spec.name}`],
    category: 'provider',
    title: spec.title,
    description: spec.description,
    properties,
    implementation,
    examples: [
      {
        title: `Chat through ${spec.title}`,
        code: `id: ${spec.name.toLowerCase()}_chat
namespace: company.ai
tasks:
  - id: chat
    type: io.kestra.plugin.ai.completion.ChatCompletion
    provider:
      type: ${type}
${spec.apiKeyOptional ? '' : `      apiKey: "{{ secret('${spec.secretName}') }}"\n`}${spec.defaultBaseUrl ? '' : '      baseUrl: http://localhost:8080/v1\n'}      modelName: ${spec.exampleModel}
    messages:
      - type: USER
        content: Say hello
`,
      },
    ],
  });
}

/** OpenAI-compatible providers of the reference, all on the OpenAI client. */
export const openAiCompatibleProviders = [
  compatible({
    name: 'LocalAI',
    title: 'LocalAI',
    description: 'Chat and embeddings with a LocalAI server (OpenAI-compatible); baseUrl is required.',
    secretName: 'LOCALAI_API_KEY',
    apiKeyOptional: true,
    exampleModel: 'llama-3.2-1b-instruct',
  }),
  compatible({
    name: 'DockerModel',
    title: 'Docker Model Runner',
    description: 'Chat and embeddings with models served by Docker Model Runner.',
    defaultBaseUrl: 'http://localhost:12434/engines/v1',
    secretName: 'DOCKER_MODEL_API_KEY',
    apiKeyOptional: true,
    exampleModel: 'ai/smollm2',
  }),
  compatible({
    name: 'DeepSeek',
    title: 'DeepSeek',
    description: 'Chat with DeepSeek models. DeepSeek has no embedding API: pair it with another embeddingProvider.',
    defaultBaseUrl: 'https://api.deepseek.com/v1',
    secretName: 'DEEPSEEK_API_KEY',
    chatOnly: true,
    exampleModel: 'deepseek-chat',
  }),
  compatible({
    name: 'OpenRouter',
    title: 'OpenRouter',
    description: 'Chat and embeddings with the models routed by OpenRouter.',
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
    secretName: 'OPENROUTER_API_KEY',
    exampleModel: 'openai/gpt-4o-mini',
  }),
  compatible({
    name: 'HuggingFace',
    title: 'Hugging Face Inference Providers',
    description: 'Chat and embeddings through the Hugging Face router (OpenAI-compatible).',
    defaultBaseUrl: 'https://router.huggingface.co/v1',
    secretName: 'HF_TOKEN',
    exampleModel: 'meta-llama/Llama-3.1-8B-Instruct',
  }),
];
