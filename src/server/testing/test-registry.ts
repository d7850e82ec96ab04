import type { PluginRegistry } from '../../plugin/plugin-registry.ts';
import { createDefaultRegistry } from '../../plugins.ts';
import { serverPlugins } from '../webhook-trigger.ts';

/**
 * The default registry plus the server's own plugins (the Webhook trigger) until the default
 * registry lists them; a definition already registered always wins.
 */
export function createTestRegistry(): PluginRegistry {
  const registry = createDefaultRegistry();
  for (const definition of serverPlugins) if (!registry.get(definition.type)) registry.register(definition);
  return registry;
}
