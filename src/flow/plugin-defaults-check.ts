import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import { pluginDefaultSchema as flowDefaultsEntrySchema } from './flow-schema.ts';
import type { PathSegment } from './flow-violation.ts';
import type { WalkContext } from './flow-walker.ts';
import { isKnownKestraType, KESTRA_TYPES } from './kestra-type-catalog.ts';
import { defaultMatches, isPlainObject, type PluginDefaultEntry } from './plugin-defaults.ts';
import { keysAt, validationSchema } from './plugin-schema.ts';
import { closestTypes } from './type-resolver.ts';
import { closestName, issuesToViolations } from './zod-issues.ts';

/**
 * Validates the `pluginDefaults` list and returns its entries. A default for one exact type has
 * each value checked against that type's schema; a package prefix (`io.kestra.plugin.ai.provider`)
 * has each key checked to exist in at least one plugin it covers.
 */
export function collectPluginDefaults(list: unknown, path: PathSegment[], ctx: WalkContext): PluginDefaultEntry[] {
  if (!Array.isArray(list)) return [];
  const entries: PluginDefaultEntry[] = [];
  list.forEach((item, index) => {
    const entryPath = [...path, index];
    const parsed = flowDefaultsEntrySchema.safeParse(item);
    if (!parsed.success || !isPlainObject(item)) {
      if (!parsed.success) ctx.violations.push(...issuesToViolations(parsed.error.issues, entryPath));
      return;
    }
    const { type, forced, values } = parsed.data;
    entries.push({ type, forced: forced ?? false, values, path: entryPath });
    const matches = ctx.registry.list().filter((definition) => defaultMatches(type, definition));
    if (matches.length === 0) {
      if (!isKnownKestraType(type) && !isKnownPrefix(type, ctx.registry)) {
        const suggestions = closestTypes(type, [...ctx.registry.names(), ...KESTRA_TYPES]);
        const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
        ctx.violations.push({ path: [...entryPath, 'type'], message: `'${type}' matches no plugin type${hint}` });
      }
      return;
    }
    const exact = matches.length === 1 ? matches[0] : undefined;
    for (const [key, value] of Object.entries(values)) {
      const valuePath = [...entryPath, 'values', key];
      const schemas = matches.map(validationSchema);
      const owner = schemas.find((schema) => key in schema.shape);
      if (!owner) {
        const known = [...new Set(schemas.flatMap((schema) => keysAt(schema, [])))];
        const hint = closestName(key, known);
        ctx.violations.push({
          path: valuePath,
          message: `unknown property '${key}' for ${type}${hint ? `; did you mean '${hint}'?` : ''}`,
          atKey: true,
        });
        continue;
      }
      if (!exact) continue;
      const result = owner.shape[key]?.safeParse(value);
      if (result && !result.success) {
        ctx.violations.push(...issuesToViolations(result.error.issues, valuePath, (p) => keysAt(owner, [key, ...p])));
      }
    }
  });
  return entries;
}

function isKnownPrefix(type: string, registry: PluginRegistry): boolean {
  const prefix = `${type}.`;
  for (const name of [...registry.names(), ...KESTRA_TYPES]) if (name.startsWith(prefix)) return true;
  // A package of one of the reference's other plugins (scripts, gcp...): they are not listed one by one.
  return (
    !/^io\.kestra\.plugin\.(core|ai|langchain4j)(\.|$)/.test(type) &&
    /^io\.kestra\.plugin\.[a-z0-9]+(\.[a-z0-9]+)*$/.test(type)
  );
}
