export const MASK = '******';

/**
 * Replaces known secret values wherever they appear: log messages, error messages,
 * outputs. Values shorter than 4 characters are not masked (they would mask everything).
 */
export class SecretMasker {
  readonly #values = new Set<string>();
  #pattern: RegExp | undefined;

  add(value: string): void {
    if (value.length < 4 || this.#values.has(value)) return;
    this.#values.add(value);
    // Longest first, so a secret containing another is masked whole.
    const escaped = [...this.#values]
      .sort((a, b) => b.length - a.length)
      .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.#pattern = new RegExp(escaped.join('|'), 'g');
  }

  get size(): number {
    return this.#values.size;
  }

  mask(text: string): string {
    return this.#pattern ? text.replace(this.#pattern, MASK) : text;
  }

  /** Masks every string inside a JSON-like value. */
  maskDeep<T>(value: T): T {
    if (!this.#pattern) return value;
    return maskValue(value, this) as T;
  }
}

function maskValue(value: unknown, masker: SecretMasker): unknown {
  if (typeof value === 'string') return masker.mask(value);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, masker));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = maskValue(item, masker);
    return out;
  }
  return value;
}
