import { memoryPlugins } from './ai/memory/index.ts';
import { providerPlugins } from './ai/providers/index.ts';
import { retrieverPlugins } from './ai/retrievers/index.ts';
import { storePlugins } from './ai/stores/index.ts';
import type { AnyPluginDefinition } from './plugin/define-plugin.ts';
import { PluginRegistry } from './plugin/plugin-registry.ts';
import { aiTaskPlugins } from './tasks/ai/index.ts';
import { coreTaskPlugins } from './tasks/core/index.ts';
import { flowTaskPlugins } from './tasks/flow/index.ts';
import { triggerPlugins } from './tasks/trigger/index.ts';

/**
 * Every plugin Windhover ships, in one registry. Each area registers its definitions here;
 * this file is the only place that knows them all.
 */
export function createDefaultRegistry(): PluginRegistry {
  return new PluginRegistry().register(
    ...flowTaskPlugins,
    ...coreTaskPlugins,
    ...aiTaskPlugins,
    ...(providerPlugins as AnyPluginDefinition[]),
    ...storePlugins,
    ...retrieverPlugins,
    ...memoryPlugins,
    ...triggerPlugins,
  );
}
