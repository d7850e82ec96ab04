import type { PluginRegistry } from '../../plugin/plugin-registry.ts';
import type { RunContext } from '../../plugin/run-context.ts';

/** The plugin registry a task resolves its `provider:` and `embeddings:` sub-plugins with. */
export function pluginRegistryOf(ctx: RunContext): PluginRegistry {
  const registry = (ctx as RunContext & { registry?: PluginRegistry }).registry;
  if (!registry) {
    throw new Error(
      `task ${ctx.taskRun.taskId}: the engine gave this task no plugin registry, so its provider and ` +
        `embeddings sub-plugins cannot be opened; run it through the engine (or set RunContext.registry in tests)`,
    );
  }
  return registry;
}
