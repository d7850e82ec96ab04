/**
 * The shape of a parsed flow, exactly as its YAML reads (the reference's model is its YAML).
 * `loadFlows` (load-flows.ts) validates a source and produces values of these types, normalised:
 * canonical plugin types, pluginDefaults applied, `when`/`maxAttempt`/`taskDefaults` folded.
 */

export interface RetrySpec {
  type: 'constant' | 'exponential' | 'random';
  interval?: string;
  maxInterval?: string;
  minInterval?: string;
  delayFactor?: number;
  /** `maxAttempt` (deprecated spelling) is normalised into `maxAttempts` by the parser. */
  maxAttempts?: number;
  maxDuration?: string;
  warningOnRetry?: boolean;
  behavior?: 'RETRY_FAILED_TASK' | 'CREATE_NEW_EXECUTION';
}

/** Properties every task has; the rest of its keys are the plugin's own properties. */
export interface TaskSpec {
  id: string;
  type: string;
  description?: string;
  retry?: RetrySpec;
  timeout?: string;
  disabled?: boolean;
  allowFailure?: boolean;
  allowWarning?: boolean;
  /** `when` (the 2.0 name) is normalised into `runIf` by the parser. */
  runIf?: string | boolean;
  logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  [property: string]: unknown;
}

export type InputType =
  | 'STRING'
  | 'INT'
  | 'FLOAT'
  | 'BOOLEAN'
  | 'BOOL'
  | 'SELECT'
  | 'MULTISELECT'
  | 'ENUM'
  | 'DATETIME'
  | 'DATE'
  | 'TIME'
  | 'DURATION'
  | 'JSON'
  | 'YAML'
  | 'URI'
  | 'ARRAY'
  | 'SECRET'
  | 'FILE'
  | 'EMAIL';

export interface InputSpec {
  id: string;
  type: InputType;
  description?: string;
  displayName?: string;
  required?: boolean;
  defaults?: unknown;
  prefill?: unknown;
  validator?: string;
  min?: number | string;
  max?: number | string;
  values?: string[];
  allowCustomValue?: boolean;
  itemType?: InputType;
  after?: string;
  before?: string;
  allowedFileExtensions?: string[];
  [property: string]: unknown;
}

export interface TriggerSpec {
  id: string;
  type: string;
  description?: string;
  disabled?: boolean;
  conditions?: ({ type: string } & Record<string, unknown>)[];
  inputs?: Record<string, unknown>;
  labels?: Record<string, string> | { key: string; value: string }[];
  stopAfter?: string[];
  [property: string]: unknown;
}

export interface PluginDefaultSpec {
  type: string;
  forced?: boolean;
  values: Record<string, unknown>;
}

export interface FlowOutputSpec {
  id: string;
  type: InputType;
  value: unknown;
  description?: string;
  displayName?: string;
  required?: boolean;
}

export interface FlowSpec {
  id: string;
  namespace: string;
  description?: string;
  labels?: Record<string, string> | { key: string; value: string }[];
  inputs?: InputSpec[];
  variables?: Record<string, unknown>;
  tasks: TaskSpec[];
  errors?: TaskSpec[];
  finally?: TaskSpec[];
  afterExecution?: TaskSpec[];
  triggers?: TriggerSpec[];
  pluginDefaults?: PluginDefaultSpec[];
  concurrency?: { limit: number; behavior?: 'QUEUE' | 'CANCEL' | 'FAIL' };
  outputs?: FlowOutputSpec[];
  retry?: RetrySpec;
  disabled?: boolean;
  /** Accepted for compatibility with the reference; not enforced yet. */
  sla?: unknown[];
  /** Accepted for compatibility with the reference; not enforced yet. */
  checks?: unknown[];
}
