import type { SharedResources, TaskLogger } from '../../plugin/run-context.ts';
import type { StoreOpenContext } from './store-plugin.ts';

/** A SharedResources like the engine's: one value per key, closed together. */
export class TestResources implements SharedResources {
  readonly #values = new Map<string, { value: Promise<unknown>; close?: (value: never) => Promise<void> }>();

  get<T>(key: string, create: () => Promise<T>, close?: (value: T) => Promise<void>): Promise<T> {
    let entry = this.#values.get(key);
    if (!entry) {
      entry = { value: create(), close: close as ((value: never) => Promise<void>) | undefined };
      this.#values.set(key, entry);
    }
    return entry.value as Promise<T>;
  }

  async closeAll(): Promise<void> {
    for (const entry of this.#values.values()) await entry.close?.((await entry.value) as never);
    this.#values.clear();
  }
}

/** Collects log lines so tests can assert on hints. */
export function testLogger(lines: string[] = []): TaskLogger {
  const log = (level: string) => (message: string) => lines.push(`${level}: ${message}`);
  return {
    log: (level, message) => lines.push(`${level}: ${message}`),
    trace: log('TRACE'),
    debug: log('DEBUG'),
    info: log('INFO'),
    warn: log('WARN'),
    error: log('ERROR'),
  };
}

export function testContext(dataDir: string, resources = new TestResources(), lines: string[] = []): StoreOpenContext {
  return {
    dataDir,
    namespace: 'company.team',
    flowId: 'rag',
    signal: new AbortController().signal,
    logger: testLogger(lines),
    resources,
  };
}
