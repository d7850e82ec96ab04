import type { Expression, Template } from './ast.ts';
import { parseExpressionSource } from './expression-parser.ts';
import { LIMITS } from './limits.ts';
import { parseTemplateSource } from './template-parser.ts';

/**
 * A bounded cache with approximate LRU eviction in O(1) and no writes on hot hits: entries
 * live in a young and an old generation; a hit in the old one promotes the entry, and when the
 * young generation is full it becomes the old one (dropping what was not used since).
 */
class ParseCache<T> {
  #young = new Map<string, T>();
  #old = new Map<string, T>();
  constructor(private readonly parse: (source: string) => T) {}

  get(source: string): T {
    const young = this.#young.get(source);
    if (young !== undefined) return young;
    const value = this.#old.get(source) ?? this.parse(source);
    if (this.#young.size >= LIMITS.cacheSize / 2) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(source, value);
    return value;
  }
}

const templateCache = new ParseCache<Template>(parseTemplateSource);
const expressionCache = new ParseCache<Expression>(parseExpressionSource);

/** True when a string contains template syntax and needs rendering. */
export function hasTemplateSyntax(source: string): boolean {
  return source.includes('{{') || source.includes('{%') || source.includes('{#');
}

export function parseCached(source: string): Template {
  return templateCache.get(source);
}

export function parseExpressionCached(source: string): Expression {
  return expressionCache.get(source);
}
