import type { AnyPluginDefinition } from '../plugin/define-plugin.ts';
import { TYPE_ALIASES } from '../plugin/type-aliases.ts';
import type { PathSegment } from './flow-violation.ts';

/** One `pluginDefaults` entry as the validator keeps it: where it was written, and its values. */
export interface PluginDefaultEntry {
  type: string;
  forced: boolean;
  values: Record<string, unknown>;
  path: PathSegment[];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** All names a definition answers to: canonical, its own aliases, and legacy aliases from the table. */
export function namesOf(definition: AnyPluginDefinition): string[] {
  const names = [definition.type, ...(definition.aliases ?? [])];
  for (const [alias, current] of TYPE_ALIASES) if (current === definition.type) names.push(alias);
  return [...new Set(names)];
}

/** A defaults entry applies to a plugin named exactly, or to every plugin under a package prefix. */
export function defaultMatches(entryType: string, definition: AnyPluginDefinition): boolean {
  return namesOf(definition).some((name) => name === entryType || name.startsWith(`${entryType}.`));
}

/**
 * Applies matching defaults to a plugin's properties. Non-forced values only fill what is missing
 * (maps are merged deeply) and earlier entries win; forced values override what the flow says.
 * Returns the new value and the top-level keys that came entirely from defaults.
 */
export function applyPluginDefaults(
  value: Record<string, unknown>,
  definition: AnyPluginDefinition,
  entries: readonly PluginDefaultEntry[],
): { value: Record<string, unknown>; fromDefaults: Set<string> } {
  const matching = entries.filter((entry) => defaultMatches(entry.type, definition));
  if (matching.length === 0) return { value, fromDefaults: new Set() };
  const result: Record<string, unknown> = { ...value };
  const fromDefaults = new Set<string>();
  for (const entry of matching.filter((e) => !e.forced)) {
    for (const [key, defaultValue] of Object.entries(entry.values)) {
      if (!(key in result)) {
        result[key] = structuredClone(defaultValue);
        fromDefaults.add(key);
      } else if (isPlainObject(result[key]) && isPlainObject(defaultValue)) {
        result[key] = fillMissing(result[key] as Record<string, unknown>, defaultValue);
      }
    }
  }
  for (const entry of matching.filter((e) => e.forced)) {
    for (const [key, forcedValue] of Object.entries(entry.values)) {
      const current = result[key];
      result[key] =
        isPlainObject(current) && isPlainObject(forcedValue)
          ? fillMissing(structuredClone(forcedValue), current)
          : structuredClone(forcedValue);
      if (!(key in value)) fromDefaults.add(key);
    }
  }
  return { value: result, fromDefaults };
}

/** `target` with the keys of `source` it lacks, recursively for nested maps. */
function fillMissing(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(source)) {
    if (!(key in out)) out[key] = structuredClone(value);
    else if (isPlainObject(out[key]) && isPlainObject(value)) {
      out[key] = fillMissing(out[key] as Record<string, unknown>, value);
    }
  }
  return out;
}
