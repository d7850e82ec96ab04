import type { EngineApi } from '../engine/engine-api.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import type { Repository } from '../repository/repository.ts';

/** A user allowed in by basic auth. */
export interface BasicAuthUser {
  username: string;
  password: string;
}

/**
 * What the trigger endpoints need from the scheduler (`Scheduler` from src/scheduler fits).
 * Without it the trigger list is still served from the repository, and the actions are absent.
 */
export interface TriggerScheduler {
  /** Re-reads flows, so a trigger saved a moment ago is known. */
  syncFlows(): Promise<void>;
  backfill(
    namespace: string,
    flowId: string,
    triggerId: string,
    options: {
      start: string;
      end?: string;
      inputs?: Record<string, unknown>;
      labels?: { key: string; value: string }[];
    },
  ): Promise<unknown>;
  pauseBackfill(namespace: string, flowId: string, triggerId: string): Promise<void>;
  resumeBackfill(namespace: string, flowId: string, triggerId: string): Promise<void>;
  cancelBackfill(namespace: string, flowId: string, triggerId: string): Promise<void>;
  /** Enables or disables one trigger; the enable/disable endpoint exists only when this does. */
  setDisabled?(namespace: string, flowId: string, triggerId: string, disabled: boolean): Promise<void>;
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
  /** The trigger scheduler, for backfills and enable/disable. */
  scheduler?: TriggerScheduler;
  /** Folder of example flows served as blueprints. */
  examplesDir?: string;
  /** Folder of the built UI (defaults to src/ui/web/dist). */
  uiDir?: string;
}

/** The tenant every path carries; the open-source reference has only `main`. */
export const API_ROOT = '/api/v1/main';
