import { z } from 'zod';
import { type AnyPluginDefinition, defineSubPlugin } from '../plugin/define-plugin.ts';

/**
 * `trigger.Webhook`: the server serves `/api/v1/main/executions/webhook/{namespace}/{flowId}/{key}`
 * for flows that declare it; there is nothing to schedule, so the implementation is empty.
 */
export const webhookTrigger = defineSubPlugin({
  type: 'io.kestra.plugin.core.trigger.Webhook',
  aliases: ['io.kestra.core.models.triggers.types.Webhook'],
  category: 'trigger',
  title: 'Webhook',
  description:
    'Starts the flow on an HTTP GET, POST or PUT to /api/v1/main/executions/webhook/{namespace}/{flowId}/{key}. ' +
    'The request is available as `trigger.body` (parsed when JSON), `trigger.headers` and `trigger.parameters`. ' +
    'With `wait` the call returns the ended execution; with `returnOutputs` it returns the flow outputs, ' +
    'which turns a RAG flow into an API.',
  properties: z.object({
    key: z
      .string()
      .min(1)
      .max(256)
      .describe('Secret part of the URL; anyone who knows it can start the flow. Use a long random value.'),
    wait: z.boolean().optional().describe('Answer only when the execution has ended, with the execution.'),
    returnOutputs: z.boolean().optional().describe('Answer with the flow outputs once the execution has ended.'),
  }),
  implementation: {},
  examples: [
    {
      title: 'Answer questions over HTTP',
      code: `id: ask_api
namespace: company.ai
tasks:
  - id: chat
    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.windhover.plugin.ai.provider.Local
    embeddingProvider:
      type: io.windhover.plugin.ai.provider.Local
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    prompt: "{{ trigger.body.question }}"
triggers:
  - id: api
    type: io.kestra.plugin.core.trigger.Webhook
    key: 4wjtkzwVGBM9yKnjm3yv8r
    returnOutputs: true
outputs:
  - id: answer
    type: STRING
    value: "{{ outputs.chat.textOutput }}"
`,
    },
  ],
});

/** The plugins the server implements, for the default registry. */
export const serverPlugins: AnyPluginDefinition[] = [webhookTrigger as unknown as AnyPluginDefinition];
