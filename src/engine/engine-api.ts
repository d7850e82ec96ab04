import type { Execution, LogEntry } from '../model/execution.ts';

/** An uploaded file input: its name and bytes (the engine stores it and passes a URI). */
export interface FileInput {
  filename: string;
  data: Uint8Array;
}

export interface CreateExecutionOptions {
  /** Raw inputs as given (CLI strings, form fields, JSON values); validated and coerced. */
  inputs?: Record<string, unknown>;
  files?: Record<string, FileInput>;
  labels?: { key: string; value: string }[];
  revision?: number;
  /** Variables under `trigger.*` and the trigger's identity. */
  trigger?: { id: string; type: string; variables: Record<string, unknown> };
  scheduleDate?: string;
  parentId?: string;
  /**
   * The `system.correlationId` label to carry (a Flow trigger passes its upstream execution's).
   * Without it: the parent's for a subflow, else one given in `labels`, else the new execution's id.
   */
  correlationId?: string;
}

/** Something that happened in the engine, for live views (SSE, CLI). */
export type EngineEvent = { type: 'execution'; execution: Execution } | { type: 'logs'; entries: LogEntry[] };

/** What the CLI, the server and triggers use to run flows. */
export interface EngineApi {
  /**
   * Validates inputs and creates an execution of the latest (or given) revision.
   * Throws InputValidationError listing every invalid input (no execution is created),
   * or FlowNotFoundError.
   */
  createExecution(namespace: string, flowId: string, options?: CreateExecutionOptions): Promise<Execution>;
  /** Resolves when the execution reaches a terminal state. */
  waitForTerminal(executionId: string, signal?: AbortSignal): Promise<Execution>;
  kill(executionId: string): Promise<Execution>;
  /** Restarts a failed execution from its failed task runs (same execution id). */
  restart(executionId: string): Promise<Execution>;
  /** A new execution that reuses prior outputs and runs again from the given task run. */
  replay(executionId: string, fromTaskRunId?: string): Promise<Execution>;
  /** Resumes a paused execution. */
  resume(executionId: string, inputs?: Record<string, unknown>): Promise<Execution>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

/** No flow with this namespace and id (or revision) exists. */
export class FlowNotFoundError extends Error {
  override name = 'FlowNotFoundError';
  constructor(namespace: string, flowId: string, revision?: number) {
    super(
      `flow ${namespace}/${flowId}${revision === undefined ? '' : ` revision ${revision}`} does not exist; ` +
        'create it first (windhover flow create, or POST /api/v1/main/flows)',
    );
  }
}
