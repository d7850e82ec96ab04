import { z } from 'zod';
import { defineFlowable, defineSubPlugin, defineTask } from '../plugin/define-plugin.ts';
import { duration, dynamic } from '../plugin/dynamic.ts';
import { pluginRef } from '../plugin/plugin-ref.ts';
import { PluginRegistry } from '../plugin/plugin-registry.ts';

const noop = async () => ({});
const taskList = z.array(z.looseObject({ id: z.string(), type: z.string() }));

/**
 * A small registry of stand-in plugins for the flow model's own tests, so they do not depend on
 * which real plugins have landed: a log task, a chat task with sub-plugins, flowables, a trigger.
 */
export function createStubRegistry(): PluginRegistry {
  return new PluginRegistry().register(
    defineTask({
      type: 'io.kestra.plugin.core.log.Log',
      aliases: ['io.kestra.core.tasks.log.Log'],
      category: 'task',
      title: 'Log',
      description: 'Logs a message',
      properties: z.object({
        message: dynamic(z.union([z.string(), z.array(z.string())])),
        level: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).optional(),
      }),
      run: noop,
    }),
    defineTask({
      type: 'io.kestra.plugin.core.debug.Return',
      category: 'task',
      title: 'Return',
      description: 'Returns a value',
      properties: z.object({ format: dynamic(z.string()) }),
      run: noop,
    }),
    defineTask({
      type: 'io.kestra.plugin.core.flow.Subflow',
      category: 'task',
      title: 'Subflow',
      description: 'Runs another flow',
      properties: z.object({ namespace: z.string(), flowId: z.string(), wait: dynamic(z.boolean()).optional() }),
      run: noop,
    }),
    defineTask({
      type: 'io.kestra.plugin.ai.rag.ChatCompletion',
      category: 'task',
      title: 'Chat',
      description: 'Chats with retrieval',
      properties: z.object({
        prompt: dynamic(z.string()),
        chatProvider: pluginRef('provider'),
        embeddingProvider: pluginRef('provider').optional(),
        embeddings: pluginRef('embeddings').optional(),
        stores: z.array(pluginRef('embeddings')).optional(),
        maxResults: dynamic(z.int().min(1)).optional(),
        wait: dynamic(duration).optional(),
        chatConfiguration: dynamic(z.strictObject({ temperature: z.number().optional() })).optional(),
      }),
      run: noop,
    }),
    defineFlowable({
      type: 'io.kestra.plugin.core.flow.Sequential',
      category: 'task',
      flowable: true,
      title: 'Sequential',
      description: 'Runs tasks in order',
      properties: z.object({ tasks: taskList.min(1), errors: taskList.optional() }),
      childTaskLists: ['tasks', 'errors'],
    }),
    defineFlowable({
      type: 'io.kestra.plugin.core.flow.Switch',
      category: 'task',
      flowable: true,
      title: 'Switch',
      description: 'Runs the matching case',
      properties: z.object({
        value: dynamic(z.string()),
        cases: z.record(z.string(), taskList).optional(),
        defaults: taskList.optional(),
      }),
      childTaskLists: ['defaults'],
      childTaskMaps: ['cases'],
    }),
    defineSubPlugin({
      type: 'io.kestra.plugin.ai.provider.OpenAI',
      aliases: ['io.kestra.plugin.langchain4j.provider.OpenAI'],
      category: 'provider',
      title: 'OpenAI',
      description: 'OpenAI models',
      properties: z.object({
        apiKey: dynamic(z.string()),
        modelName: dynamic(z.string()),
        baseUrl: z.string().optional(),
      }),
      implementation: {},
    }),
    defineSubPlugin({
      type: 'io.kestra.plugin.ai.embeddings.KestraKVStore',
      category: 'embeddings',
      title: 'KV store',
      description: 'Embeddings in the KV store',
      properties: z.object({ kvName: dynamic(z.string()).optional() }),
      implementation: {},
    }),
    defineSubPlugin({
      type: 'io.kestra.plugin.core.trigger.Schedule',
      category: 'trigger',
      title: 'Schedule',
      description: 'Starts on a cron schedule',
      properties: z.object({ cron: z.string(), timezone: z.string().optional() }),
      implementation: {},
    }),
    defineSubPlugin({
      type: 'io.kestra.plugin.core.condition.Expression',
      category: 'condition',
      title: 'Expression',
      description: 'True when the expression is',
      properties: z.object({ expression: z.string() }),
      implementation: {},
    }),
  );
}
