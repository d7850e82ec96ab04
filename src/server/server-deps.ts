import type { EngineApi } from '../engine/engine-api.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import type { Repository } from '../repository/repository.ts';

/** A user allowed in by basic auth. */
export interface BasicAuthUser {
  username: string;
  password: string;
}

/** What the server needs: the repository, the engine, the plugins, and where files live. */
export interface ServerDeps {
  repository: Repository;
  engine: EngineApi;
  registry: PluginRegistry;
  /** Root of the instance's data; execution files live under `<dataDir>/storage`. */
  dataDir: string;
  /** When set, every request needs basic auth with one of these users. */
  auth?: BasicAuthUser[];
  /** Folder of example flows served as blueprints. */
  examplesDir?: string;
  /** Folder of the built UI (defaults to src/ui/web/dist). */
  uiDir?: string;
}

/** The tenant every path carries; the open-source reference has only `main`. */
export const API_ROOT = '/api/v1/main';
