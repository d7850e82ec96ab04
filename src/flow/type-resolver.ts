import type { AnyPluginDefinition, PluginCategory } from '../plugin/define-plugin.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import { TYPE_ALIASES } from '../plugin/type-aliases.ts';
import { isKnownKestraType, KESTRA_TYPES } from './kestra-type-catalog.ts';

/** What a `type:` value names: a plugin we run, a reference type we lack, or nothing known. */
export type TypeResolution =
  | { kind: 'found'; definition: AnyPluginDefinition }
  | { kind: 'wrong-category'; definition: AnyPluginDefinition; message: string }
  | { kind: 'unsupported'; message: string }
  | { kind: 'unknown'; message: string };

/** Resolves a type by canonical name, registered alias, or the reference's legacy alias table. */
export function resolveType(registry: PluginRegistry, type: string, category: PluginCategory): TypeResolution {
  const definition = registry.get(type) ?? lookupAlias(registry, type);
  if (definition) {
    if (definition.category !== category) {
      return {
        kind: 'wrong-category',
        definition,
        message: `'${type}' is a ${definition.category}, not a ${category}`,
      };
    }
    return { kind: 'found', definition };
  }
  if (isKnownKestraType(type)) {
    return { kind: 'unsupported', message: unsupportedMessage(type) };
  }
  // Types Windhover runs come first; the reference's other types only when nothing registered is close.
  const registered = closestTypes(type, registry.names(category), 6);
  const candidates = registered.length > 0 ? registered : closestTypes(type, KESTRA_TYPES, 6);
  const suggestions = dedupeByCanonical(registry, candidates);
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
  return { kind: 'unknown', message: `unknown ${category} type '${type}'${hint}` };
}

export function unsupportedMessage(type: string): string {
  return `unsupported type '${type}': Windhover does not implement it yet`;
}

function lookupAlias(registry: PluginRegistry, type: string): AnyPluginDefinition | undefined {
  const current = TYPE_ALIASES.get(type);
  return current ? registry.get(current) : undefined;
}

/** Up to three names closest to `type`, by edit distance on the class name and on the full name. */
export function closestTypes(type: string, candidates: Iterable<string>, limit = 3): string[] {
  const last = lastSegment(type).toLowerCase();
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(candidates)) {
    const classDistance = editDistance(last, lastSegment(name).toLowerCase());
    const fullDistance = editDistance(type.toLowerCase(), name.toLowerCase());
    const score = Math.min(classDistance * 2, fullDistance);
    const threshold = Math.max(2, Math.floor(last.length / 3)) * 2;
    if (score <= threshold) scored.push({ name, score: score * 100 + fullDistance });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((entry) => entry.name);
}

/** Keeps one name per plugin (the first, i.e. closest), preferring its canonical name. */
function dedupeByCanonical(registry: PluginRegistry, names: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of names) {
    const canonical = registry.canonicalType(name) ?? TYPE_ALIASES.get(name) ?? name;
    if (seen.has(canonical)) continue;
    seen.add(canonical);
    out.push(canonical);
  }
  return out.slice(0, 3);
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** Levenshtein distance; names are short, so the quadratic table is fine. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
