import { PluginRegistry } from './plugin/plugin-registry.ts';
import { flowTaskPlugins } from './tasks/flow/index.ts';

/**
 * Every plugin Windhover ships, in one registry. Each area registers its definitions here;
 * this file is the only place that knows them all.
 */
export function createDefaultRegistry(): PluginRegistry {
  return new PluginRegistry().register(...flowTaskPlugins);
}
