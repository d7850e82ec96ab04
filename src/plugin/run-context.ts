import type { LogLevel } from '../model/execution.ts';
import type { KvEntry, KvType } from '../model/flow-record.ts';
import type { PluginRegistry } from './plugin-registry.ts';

/** Logs of one task-run attempt; every message passes through secret masking. */
export interface TaskLogger {
  log(level: LogLevel, message: string): void;
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Files that tasks pass to each other, addressed by `kestra:///...` URIs. */
export interface FileStorage {
  /** Stores bytes for the current execution; returns the URI. */
  put(name: string, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<string>;
  get(uri: string): Promise<Uint8Array>;
  exists(uri: string): Promise<boolean>;
  size(uri: string): Promise<number>;
  /** A local path for the URI, for libraries that want a file. */
  localPath(uri: string): string;
}

/** The namespaced key-value store as tasks see it. */
export interface KvAccess {
  get(namespace: string, key: string): Promise<KvEntry | undefined>;
  set(entry: {
    namespace: string;
    key: string;
    type: KvType;
    value: unknown;
    description?: string;
    ttlMs?: number;
    overwrite?: boolean;
  }): Promise<KvEntry>;
  list(namespace: string, prefix?: string): Promise<KvEntry[]>;
  delete(namespace: string, key: string): Promise<boolean>;
}

/** A counter or timer reported by a task (the reference's metrics). */
export interface Metric {
  name: string;
  value: number;
  tags?: Record<string, string>;
}

/**
 * Everything a task's `run` may use. Properties arrive already rendered and validated;
 * `render` is for templates a task evaluates itself (e.g. per item).
 */
export interface RunContext {
  /** Aborted on timeout or kill: pass it to every I/O call. */
  readonly signal: AbortSignal;
  readonly logger: TaskLogger;
  readonly flow: { id: string; namespace: string; revision: number };
  readonly execution: { id: string };
  readonly taskRun: { id: string; taskId: string; attempt: number; value?: string };
  /** All variables visible to templates here (inputs, outputs, vars, flow, execution, ...). */
  readonly variables: Record<string, unknown>;
  render(template: unknown): Promise<unknown>;
  readonly storage: FileStorage;
  readonly kv: KvAccess;
  /** The data directory of this instance (embedded stores live below it). */
  readonly dataDir: string;
  /** Directory that relative paths (e.g. `fromPath`) resolve against. */
  readonly workingDirectory: string;
  /** Registers a value that must be masked in logs and outputs from now on. */
  maskSecret(value: string): void;
  metric(metric: Metric): void;
  /** Resources shared across task runs of this process (open stores, loaded models). */
  readonly resources: SharedResources;
  /** The plugins of this process, for tasks that open sub-plugins (providers, stores). */
  readonly registry?: PluginRegistry;
}

/** A per-process cache of expensive resources, closed when the engine stops. */
export interface SharedResources {
  get<T>(key: string, create: () => Promise<T>, close?: (value: T) => Promise<void>): Promise<T>;
}
