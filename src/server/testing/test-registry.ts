import { z } from 'zod';
import { defineSubPlugin, defineTask } from '../../plugin/define-plugin.ts';
import type { PluginRegistry } from '../../plugin/plugin-registry.ts';
import { createDefaultRegistry } from '../../plugins.ts';

const noop = async () => ({});

/**
 * The default registry plus stand-ins for the few types the server tests use that may not
 * have landed yet (the Webhook trigger); a real definition always wins.
 */
export function createTestRegistry(): PluginRegistry {
  return addStandIns(createDefaultRegistry());
}

/** Registers the stand-ins whose types the registry does not know yet. */
export function addStandIns(registry: PluginRegistry): PluginRegistry {
  const standIns = [
    defineTask({
      type: 'io.kestra.plugin.core.log.Log',
      category: 'task',
      title: 'Log',
      description: 'Logs a message',
      properties: z.object({
        message: z.string(),
        level: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).optional(),
      }),
      run: noop,
    }),
    defineTask({
      type: 'io.kestra.plugin.core.execution.Fail',
      category: 'task',
      title: 'Fail',
      description: 'Fails the execution',
      properties: z.object({ errorMessage: z.string().optional() }),
      run: noop,
    }),
    defineTask({
      type: 'io.kestra.plugin.ai.rag.ChatCompletion',
      category: 'task',
      title: 'RAG chat',
      description: 'Answers a prompt from retrieved documents',
      properties: z.object({ prompt: z.string().optional() }),
      outputs: z.object({ textOutput: z.string(), sources: z.array(z.object({ id: z.string() })) }),
      run: noop,
    }),
    defineSubPlugin({
      type: 'io.kestra.plugin.core.trigger.Webhook',
      category: 'trigger',
      title: 'Webhook',
      description: 'Starts the flow on an HTTP call',
      properties: z.object({
        key: z.string(),
        wait: z.boolean().optional(),
        returnOutputs: z.boolean().optional(),
      }),
      implementation: {},
    }),
  ];
  for (const definition of standIns) if (!registry.get(definition.type)) registry.register(definition);
  return registry;
}
