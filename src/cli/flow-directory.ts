import { existsSync, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import { join, relative } from 'node:path';
import { loadFlows } from '../flow/load-flows.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import type { Repository } from '../repository/repository.ts';
import { formatViolation } from './flow-commands.ts';

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/i.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/**
 * Loads every flow of a directory into the repository (the reference's `--flow-path`) and
 * keeps watching it: a changed file makes a new revision, a removed file deletes its flows.
 */
export class FlowDirectory {
  /** Flows each file defined at its last load, to delete the ones a file no longer has. */
  readonly #owned = new Map<string, Set<string>>();
  #watcher: ReturnType<typeof watch> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly repository: Repository,
    private readonly registry: PluginRegistry,
    private readonly log: (message: string) => void = (message) => console.error(message),
  ) {}

  async load(): Promise<number> {
    if (!existsSync(this.dir) || !statSync(this.dir).isDirectory()) {
      throw new Error(`--flow-path ${this.dir} is not a directory`);
    }
    const files = yamlFiles(this.dir);
    let count = 0;
    for (const file of files) count += await this.#loadFile(file);
    for (const file of [...this.#owned.keys()]) if (!files.includes(file)) await this.#forget(file);
    return count;
  }

  watch(): void {
    this.#watcher = watch(this.dir, { recursive: true }, () => {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => {
        this.load().catch((error: unknown) => this.log(`flow directory: ${(error as Error).message}`));
      }, 200);
    });
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#watcher?.close();
  }

  async #loadFile(file: string): Promise<number> {
    const name = relative(this.dir, file);
    const result = loadFlows(readFileSync(file, 'utf8'), this.registry, { file: name });
    if (!result.ok) {
      this.log(`✗ ${name} is not a valid flow; it was not loaded:`);
      for (const violation of result.violations) this.log(`  ${formatViolation({ ...violation, file: name })}`);
      return 0;
    }
    const ids = new Set<string>();
    for (const parsed of result.flows) {
      const record = await this.repository.flows.save({
        namespace: parsed.spec.namespace,
        id: parsed.spec.id,
        source: parsed.source,
      });
      ids.add(`${record.namespace}/${record.id}`);
    }
    for (const id of this.#owned.get(file) ?? []) {
      if (!ids.has(id)) await this.#delete(id);
    }
    this.#owned.set(file, ids);
    return ids.size;
  }

  async #forget(file: string): Promise<void> {
    for (const id of this.#owned.get(file) ?? []) await this.#delete(id);
    this.#owned.delete(file);
  }

  async #delete(id: string): Promise<void> {
    const [namespace = '', flowId = ''] = id.split('/');
    await this.repository.flows.delete(namespace, flowId);
    this.log(`flow ${id} removed (its file is gone)`);
  }
}
