import type { SharedResources } from '../plugin/run-context.ts';

/** Expensive resources (open stores, loaded models) shared by task runs of one process. */
export class ResourceCache implements SharedResources {
  readonly #entries = new Map<string, { value: Promise<unknown>; close?: (value: never) => Promise<void> }>();

  get<T>(key: string, create: () => Promise<T>, close?: (value: T) => Promise<void>): Promise<T> {
    const existing = this.#entries.get(key);
    if (existing) return existing.value as Promise<T>;
    const value = create();
    // A failed creation is forgotten so the next task run tries again.
    value.catch(() => this.#entries.delete(key));
    this.#entries.set(key, { value, close: close as ((value: never) => Promise<void>) | undefined });
    return value;
  }

  async closeAll(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const entry of entries) {
      try {
        const value = await entry.value;
        await entry.close?.(value as never);
      } catch {
        // Closing is best effort at shutdown.
      }
    }
  }
}
