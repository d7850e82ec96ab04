import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Engine } from '../engine/engine.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import { createDefaultRegistry } from '../plugins.ts';
import { openRepository } from '../repository/open-repository.ts';
import type { Repository } from '../repository/repository.ts';
import { SecretStore } from '../secrets/secret-store.ts';
import { LocalFileStorage } from '../storage/local-file-storage.ts';

export interface GlobalOptions {
  dataDir?: string;
  databaseUrl?: string;
  secret?: string[];
  secretsFile?: string;
}

/** Everything a command needs, opened on one data directory. */
export interface AppContext {
  dataDir: string;
  registry: PluginRegistry;
  repository: Repository;
  secrets: SecretStore;
  engine: Engine;
  close(): Promise<void>;
}

export function dataDirOf(options: GlobalOptions): string {
  return resolve(options.dataDir ?? process.env.WINDHOVER_DATA_DIR ?? 'data');
}

export function parsePairs(pairs: string[] | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`${what} '${pair}' must look like NAME=value`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

export async function openApp(options: GlobalOptions): Promise<AppContext> {
  const dataDir = dataDirOf(options);
  mkdirSync(dataDir, { recursive: true });
  const registry = createDefaultRegistry();
  const url = options.databaseUrl ?? process.env.WINDHOVER_DATABASE_URL;
  const repository = await openRepository(url ? { url, dataDir } : { dataDir });
  const secrets = new SecretStore({
    plain: parsePairs(options.secret, '--secret'),
    file: options.secretsFile ?? process.env.WINDHOVER_SECRETS_FILE,
  });
  for (const warning of secrets.warnings) console.error(`warning: ${warning}`);
  const engine = new Engine({
    repository,
    registry,
    secrets,
    dataDir,
    storageFor: (execution) => new LocalFileStorage(dataDir, execution),
  });
  return {
    dataDir,
    registry,
    repository,
    secrets,
    engine,
    async close() {
      await engine.stop();
      await repository.close();
    },
  };
}
