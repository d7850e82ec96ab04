import { z } from 'zod';
import type { PluginCategory } from './define-plugin.ts';

/** Marks a schema node as "a sub-plugin of this category, chosen by its `type:`". */
export const PLUGIN_REF_META = 'windhoverPluginCategory';

/**
 * A property whose value is a sub-plugin (e.g. `provider:`), polymorphic by `type:`.
 * At parse time the flow model validates it against the chosen plugin's own schema and
 * reports errors under this property's path; the JSON Schema lists every plugin of the
 * category, so editors autocomplete `type:` and the chosen type's properties.
 */
export function pluginRef(category: PluginCategory) {
  return z
    .looseObject({ type: z.string() })
    .meta({ [PLUGIN_REF_META]: category, description: `A ${category} plugin, chosen by its type` });
}

/** A sub-plugin value as tasks receive it: its type and its (rendered) properties. */
export type PluginConfig = { type: string } & Record<string, unknown>;
