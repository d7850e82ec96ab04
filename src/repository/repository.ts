import type { Execution, LogEntry, LogLevel } from '../model/execution.ts';
import type { FlowRecord, KvEntry, KvType, TriggerState } from '../model/flow-record.ts';
import type { State } from '../model/state.ts';

/** A page of results and the total number that matched. */
export interface Page<T> {
  results: T[];
  total: number;
}

export interface PageRequest {
  /** 1-based page number. */
  page?: number;
  size?: number;
}

export interface FlowRepository {
  /**
   * Saves a new revision of a flow when its source changed; returns the stored record.
   * An unchanged source returns the latest revision without creating a new one.
   */
  save(flow: { namespace: string; id: string; source: string; disabled?: boolean }): Promise<FlowRecord>;
  /** The latest (or the given) revision; undefined when missing or deleted. */
  get(namespace: string, id: string, revision?: number): Promise<FlowRecord | undefined>;
  /** Latest revision of each non-deleted flow matching the filter. */
  search(filter: { namespace?: string; query?: string } & PageRequest): Promise<Page<FlowRecord>>;
  revisions(namespace: string, id: string): Promise<FlowRecord[]>;
  /** Marks the flow deleted (revisions are kept); returns false when it did not exist. */
  delete(namespace: string, id: string): Promise<boolean>;
}

export interface ExecutionFilter extends PageRequest {
  namespace?: string;
  flowId?: string;
  states?: State[];
  /** ISO-8601 bounds on the start date. */
  startDate?: string;
  endDate?: string;
  labels?: { key: string; value: string }[];
}

export interface ExecutionRepository {
  /** Inserts or replaces the whole execution (task runs included). */
  save(execution: Execution): Promise<void>;
  /** Saves several executions in one transaction. */
  saveAll(executions: Execution[]): Promise<void>;
  get(id: string): Promise<Execution | undefined>;
  /** Newest first. */
  search(filter: ExecutionFilter): Promise<Page<Execution>>;
  /** Executions whose state is not terminal, oldest first: what a restarted engine resumes. */
  findUnfinished(): Promise<Execution[]>;
  delete(id: string): Promise<boolean>;
}

export interface LogFilter extends PageRequest {
  executionId?: string;
  namespace?: string;
  flowId?: string;
  taskRunId?: string;
  minLevel?: LogLevel;
  /** Substring match on the message. */
  query?: string;
  /** Only entries with a sequence number greater than this (for following). */
  afterSequence?: number;
}

export interface StoredLogEntry extends LogEntry {
  /** Monotonic per-database sequence number, for paging and live following. */
  sequence: number;
}

export interface LogRepository {
  append(entries: LogEntry[]): Promise<void>;
  /** Oldest first. */
  find(filter: LogFilter): Promise<Page<StoredLogEntry>>;
  deleteByExecution(executionId: string): Promise<number>;
}

export interface KvRepository {
  /**
   * Stores a typed value. With overwrite false an existing live key is an error.
   * `ttlMs` sets expirationDate from now.
   */
  set(entry: {
    namespace: string;
    key: string;
    type: KvType;
    value: unknown;
    description?: string;
    ttlMs?: number;
    overwrite?: boolean;
  }): Promise<KvEntry>;
  /** The live entry; an expired entry is deleted and undefined is returned. */
  get(namespace: string, key: string): Promise<KvEntry | undefined>;
  list(namespace: string, options?: { prefix?: string }): Promise<KvEntry[]>;
  /** All namespaces that hold at least one live key. */
  namespaces(): Promise<string[]>;
  delete(namespace: string, key: string): Promise<boolean>;
  /** Deletes every expired entry; returns how many. */
  purgeExpired(): Promise<number>;
}

export interface TriggerRepository {
  get(namespace: string, flowId: string, triggerId: string): Promise<TriggerState | undefined>;
  save(state: TriggerState): Promise<void>;
  /** Saves several states in one transaction (the scheduler persists a tick's fires at once). */
  saveAll(states: TriggerState[]): Promise<void>;
  list(filter?: { namespace?: string; flowId?: string }): Promise<TriggerState[]>;
  delete(namespace: string, flowId: string, triggerId?: string): Promise<number>;
}

/** One item of a durable work queue, as handed to the worker that claimed it. */
export interface QueueItem {
  id: number;
  queue: string;
  /** The deduplication key given at enqueue, if any. */
  key?: string;
  payload: unknown;
  /** ISO-8601: not claimable before. */
  availableAt: string;
  claimedBy?: string;
  /** ISO-8601: the claim lapses after this unless completed or released. */
  leaseUntil?: string;
  /** How many times the item was claimed (this claim included). */
  attempts: number;
  created: string;
}

/**
 * A durable work queue shared by every process on the database. Claims are exclusive: an
 * item is handed to one worker until its lease expires, it is released, or completed.
 */
export interface QueueRepository {
  /**
   * Adds an item. With a `key`, an item already waiting under that key in this queue is kept
   * and returned instead (`created: false`).
   */
  enqueue(
    queue: string,
    payload: unknown,
    options?: { key?: string; availableAt?: Date | string },
  ): Promise<{ id: number; created: boolean }>;
  /** Claims up to `limit` available items (oldest first) for `leaseMs`. */
  claim(queue: string, workerId: string, limit: number, leaseMs: number): Promise<QueueItem[]>;
  /** Removes a finished item; false when it was not there. */
  complete(id: number): Promise<boolean>;
  /** Gives a claimed item back, available again now or at `availableAt`. */
  release(id: number, availableAt?: Date | string): Promise<boolean>;
  /** Makes items whose lease ended before `now` claimable again; returns how many. */
  reclaimExpired(now?: Date): Promise<number>;
  /** Items in a queue (claimed or not), for monitoring. */
  size(queue: string): Promise<number>;
}

/** The whole persistent state of a Windhover instance, on one database. */
export interface Repository {
  readonly dialect: 'sqlite' | 'postgres';
  readonly flows: FlowRepository;
  readonly executions: ExecutionRepository;
  readonly logs: LogRepository;
  readonly kv: KvRepository;
  readonly triggers: TriggerRepository;
  readonly queue: QueueRepository;
  close(): Promise<void>;
}

export class KvKeyExistsError extends Error {
  override name = 'KvKeyExistsError';
  constructor(namespace: string, key: string) {
    super(`KV key '${key}' already exists in namespace '${namespace}' and overwrite is false`);
  }
}
