import type { PluginRegistry } from '../../plugin/plugin-registry.ts';
import { createDefaultRegistry } from '../../plugins.ts';

/** The registry the server tests use: every shipped plugin, as `windhover server local` has them. */
export function createTestRegistry(): PluginRegistry {
  return createDefaultRegistry();
}
