import type { AnyPluginDefinition, PluginCategory } from './define-plugin.ts';

/** Every plugin this process knows, by canonical type and by alias. */
export class PluginRegistry {
  readonly #byType = new Map<string, AnyPluginDefinition>();
  readonly #canonical = new Map<string, string>();

  register(...definitions: AnyPluginDefinition[]): this {
    for (const definition of definitions) {
      for (const name of [definition.type, ...(definition.aliases ?? [])]) {
        const existing = this.#canonical.get(name);
        if (existing && existing !== definition.type) {
          throw new Error(`plugin type '${name}' is registered twice (${existing}, ${definition.type})`);
        }
        this.#canonical.set(name, definition.type);
      }
      this.#byType.set(definition.type, definition);
    }
    return this;
  }

  /** The definition for a type or one of its aliases. */
  get(type: string): AnyPluginDefinition | undefined {
    const canonical = this.#canonical.get(type);
    return canonical ? this.#byType.get(canonical) : undefined;
  }

  /** The canonical name of a type or alias. */
  canonicalType(type: string): string | undefined {
    return this.#canonical.get(type);
  }

  list(category?: PluginCategory): AnyPluginDefinition[] {
    const all = [...this.#byType.values()];
    return category ? all.filter((definition) => definition.category === category) : all;
  }

  /** All names (canonical and aliases) of a category, for "did you mean" suggestions. */
  names(category?: PluginCategory): string[] {
    return [...this.#canonical.entries()]
      .filter(([, canonical]) => !category || this.#byType.get(canonical)?.category === category)
      .map(([name]) => name);
  }
}
