import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FlowSpec, TaskSpec } from '../flow/flow-types.ts';
import { resolveInputs, secretInputIds } from '../flow/inputs.ts';
import { loadFlows } from '../flow/load-flows.ts';
import { allTasks, childTaskLists } from '../flow/task-tree.ts';
import type { Execution, LogEntry, LogLevel, TaskRun } from '../model/execution.ts';
import { levelRank } from '../model/execution.ts';
import { isTerminal, newState, type State, transition } from '../model/state.ts';
import type { AnyPluginDefinition } from '../plugin/define-plugin.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import type { FileStorage, RunContext } from '../plugin/run-context.ts';
import type { Repository } from '../repository/repository.ts';
import { SecretCipher } from '../secrets/secret-cipher.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { ActiveExecution, flowableState } from './active-execution.ts';
import { CORRELATION_ID_LABEL, correlationIdOf, withCorrelationId } from './correlation-id.ts';
import type { CreateExecutionOptions, EngineApi, EngineEvent } from './engine-api.ts';
import { FlowNotFoundError } from './engine-api.ts';
import type { EngineCore } from './engine-core.ts';
import { advance } from './executor.ts';
import { nextRetry } from './retry-policy.ts';
import { ResourceCache } from './shared-resources.ts';
import { errorMessage } from './task-errors.ts';
import { taskLogger } from './task-logger.ts';
import { templateRenderer } from './template-renderer.ts';
import { executionVariables, taskRunVariables } from './variables.ts';
import { retrySpec, Worker } from './worker.ts';

export interface EngineOptions {
  repository: Repository;
  registry: PluginRegistry;
  secrets: SecretStore;
  dataDir: string;
  /** Files of one execution (downloads, uploaded inputs). */
  storageFor(execution: { namespace: string; flowId: string; id: string }): FileStorage;
  /** Where relative paths in tasks (e.g. `fromPath`) resolve; default the current directory. */
  workingDirectory?: string;
  /** Task attempts running at once in this process; default 32. */
  workerConcurrency?: number;
}

const MAX_SUBFLOW_DEPTH = 10;

/**
 * The executor, the worker and the write-behind persistence of one process. Executions are
 * driven in memory and saved in batches (every change in one tick lands in one transaction);
 * on start, unfinished executions are loaded back and interrupted attempts retried or failed.
 */
export class Engine implements EngineApi, EngineCore {
  readonly registry: PluginRegistry;
  readonly repository: Repository;
  readonly resources = new ResourceCache();
  readonly #options: EngineOptions;
  readonly #active = new Map<string, ActiveExecution>();
  readonly #flows = new Map<string, FlowSpec>();
  readonly #listeners = new Set<(event: EngineEvent) => void>();
  readonly #waiters = new Map<string, ((execution: Execution) => void)[]>();
  readonly #worker: Worker;
  readonly #cipher: SecretCipher;
  #flushScheduled = false;
  #flushing: Promise<void> = Promise.resolve();
  #stopped = false;

  get stopping(): boolean {
    return this.#stopped;
  }

  constructor(options: EngineOptions) {
    this.#options = options;
    this.registry = options.registry;
    this.repository = options.repository;
    this.#worker = new Worker(this, (a, t, r, s) => this.#runContext(a, t, r, s), options.workerConcurrency ?? 32);
    this.#cipher = new SecretCipher(join(options.dataDir, 'secret.key'));
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Resumes what a previous process left unfinished. */
  async start(): Promise<void> {
    for (const execution of await this.repository.executions.findUnfinished()) {
      if (this.#active.has(execution.id)) continue;
      let flow: FlowSpec;
      try {
        flow = await this.#flow(execution.namespace, execution.flowId, execution.flowRevision);
      } catch (error) {
        execution.state = transition(execution.state, 'FAILED');
        execution.error = { message: `could not be resumed after a restart: ${errorMessage(error)}` };
        await this.repository.executions.save(execution);
        continue;
      }
      const active = new ActiveExecution(execution, flow);
      this.#active.set(execution.id, active);
      this.#recover(active);
    }
    for (const active of this.#active.values()) {
      if (active.execution.state.current !== 'QUEUED') this.requestAdvance(active);
    }
    this.#startQueued();
  }

  /** Marks attempts that were running when the process died, and retries them per policy. */
  #recover(active: ActiveExecution): void {
    for (const taskRun of active.execution.taskRuns) {
      const state = taskRun.state.current;
      if (state !== 'RUNNING' && state !== 'CREATED' && state !== 'RETRYING') continue;
      const task = this.#taskById(active.flow, taskRun.taskId);
      if (!task) continue;
      const definition = this.definition(task);
      if ('flowable' in definition && definition.flowable) continue;
      const last = taskRun.attempts.at(-1);
      if (last && last.state.current === 'RUNNING') {
        last.state = transition(last.state, 'FAILED');
        last.error = { message: 'interrupted: the process stopped while this attempt was running' };
        const first = taskRun.attempts[0]?.state.startDate ?? taskRun.state.startDate;
        const decision = nextRetry(
          retrySpec(task, active.flow),
          taskRun.attempts.length,
          Date.now() - Date.parse(first),
        );
        this.log(
          active,
          decision.retry ? 'WARN' : 'ERROR',
          `attempt ${taskRun.attempts.length} was interrupted by a restart; ${
            decision.retry ? 'retrying per the retry policy' : `failing the task (${decision.reason ?? 'no retry'})`
          }`,
          taskRun,
        );
        if (!decision.retry) {
          active.setTaskRunState(taskRun, 'FAILED');
          continue;
        }
      }
      this.dispatch(active, task, taskRun);
    }
    for (const taskRun of active.execution.taskRuns) {
      if (taskRun.state.current === 'PAUSED') this.#armPauseTimers(active, taskRun);
    }
    this.markDirty(active);
  }

  /** Stops driving executions (they stay unfinished in the database) and flushes. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const active of this.#active.values()) {
      active.clearTimers();
      for (const controller of active.running.values()) controller.abort(new Error('the engine is stopping'));
    }
    await this.#flush();
    await this.resources.closeAll();
  }

  // ---- public API ------------------------------------------------------------------------

  async createExecution(namespace: string, flowId: string, options: CreateExecutionOptions = {}): Promise<Execution> {
    const record = await this.repository.flows.get(namespace, flowId, options.revision);
    if (!record) throw new FlowNotFoundError(namespace, flowId, options.revision);
    const flow = await this.#flow(namespace, flowId, record.revision, record.source);
    const id = randomUUID();
    const storage = this.#options.storageFor({ namespace, flowId, id });
    const inputs = await resolveInputs(flow.inputs, options.inputs ?? {}, {
      files: options.files,
      storeFile: (_inputId, file) => storage.put(file.filename, file.data),
    });
    for (const inputId of secretInputIds(flow.inputs)) {
      // Dotted ids are nested objects (`a.b` → inputs.a.b).
      const path = inputId.split('.');
      const leaf = path.pop() as string;
      let holder: Record<string, unknown> | undefined = inputs;
      for (const part of path) {
        const next: unknown = holder?.[part];
        holder = next && typeof next === 'object' ? (next as Record<string, unknown>) : undefined;
      }
      const value = holder?.[leaf];
      if (holder && typeof value === 'string') holder[leaf] = this.#cipher.encrypt(value);
    }
    let depth = 0;
    let parentCorrelationId: string | undefined;
    if (options.parentId) {
      const parent = await this.getExecution(options.parentId);
      depth = Number(parent?.variables?.subflowDepth ?? 0) + 1;
      if (depth > MAX_SUBFLOW_DEPTH) {
        throw new Error(`subflow chain deeper than ${MAX_SUBFLOW_DEPTH} executions: is a Subflow calling itself?`);
      }
      if (parent) parentCorrelationId = correlationIdOf(parent) ?? parent.id;
    }
    const given = [...flowLabels(flow), ...(options.labels ?? [])];
    // The one place every execution gets its correlation id (API, CLI, triggers, subflows).
    const labels = withCorrelationId(
      given,
      options.correlationId ?? parentCorrelationId ?? correlationIdOf({ labels: given }) ?? id,
    );
    const execution: Execution = {
      id,
      namespace,
      flowId,
      flowRevision: record.revision,
      state: newState('CREATED'),
      inputs,
      labels,
      taskRuns: [],
      ...(depth > 0 ? { variables: { subflowDepth: depth } } : {}),
      ...(options.trigger ? { trigger: options.trigger } : {}),
      ...(options.parentId ? { parentId: options.parentId } : {}),
      ...(options.scheduleDate ? { scheduleDate: options.scheduleDate } : {}),
    };
    const active = new ActiveExecution(execution, flow);
    this.#active.set(id, active);
    if (record.disabled || flow.disabled) {
      active.setState('FAILED');
      execution.error = { message: `flow ${namespace}/${flowId} is disabled` };
    } else if (!this.#admit(active)) {
      // Held or refused by the flow's concurrency limit.
    } else {
      this.requestAdvance(active);
    }
    this.markDirty(active);
    return execution;
  }

  waitForTerminal(executionId: string, signal?: AbortSignal): Promise<Execution> {
    return new Promise<Execution>((resolve, reject) => {
      const active = this.#active.get(executionId);
      const check = active ? Promise.resolve(active.execution) : this.repository.executions.get(executionId);
      void check.then((execution) => {
        if (!execution) return reject(new Error(`execution ${executionId} does not exist`));
        if (isTerminal(execution.state.current) && !this.#active.has(executionId)) return resolve(execution);
        const list = this.#waiters.get(executionId) ?? [];
        list.push(resolve);
        this.#waiters.set(executionId, list);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }, reject);
    });
  }

  async kill(executionId: string): Promise<Execution> {
    const active = this.#active.get(executionId) ?? (await this.#load(executionId));
    if (active.terminal) return active.execution;
    active.clearTimers();
    for (const taskRun of active.execution.taskRuns) {
      if (!isTerminal(taskRun.state.current)) active.setTaskRunState(taskRun, 'KILLED');
    }
    for (const controller of active.running.values()) controller.abort(new Error('the execution was killed'));
    active.setState('KILLED');
    this.log(active, 'WARN', 'execution killed');
    // Subflows started by this execution are killed with it.
    for (const taskRun of active.execution.taskRuns) {
      const child = taskRun.flowableState?.executionId;
      if (typeof child === 'string' && this.#active.has(child)) await this.kill(child);
    }
    this.markDirty(active);
    return active.execution;
  }

  async restart(executionId: string): Promise<Execution> {
    const execution = await this.#stored(executionId);
    if (!['FAILED', 'KILLED', 'WARNING'].includes(execution.state.current)) {
      throw new Error(
        `execution ${executionId} is ${execution.state.current}; only FAILED, KILLED or WARNING ones restart`,
      );
    }
    const flow = await this.#flow(execution.namespace, execution.flowId, execution.flowRevision);
    // Failed or killed task runs (and what ran under them) run again; successful ones are kept.
    const remove = new Set<string>();
    for (const taskRun of execution.taskRuns) {
      if (['FAILED', 'KILLED'].includes(taskRun.state.current) && !this.#isFlowableRun(flow, taskRun)) {
        remove.add(taskRun.id);
      }
    }
    const errorTasks = errorBranchTaskIds(flow, this.registry);
    for (const taskRun of execution.taskRuns) if (errorTasks.has(taskRun.taskId)) remove.add(taskRun.id);
    removeDescendants(execution, remove);
    for (const taskRun of execution.taskRuns) {
      if (!remove.has(taskRun.id) && this.#isFlowableRun(flow, taskRun) && taskRun.state.current !== 'SUCCESS') {
        taskRun.state = transition(taskRun.state, 'RUNNING');
      }
    }
    execution.taskRuns = execution.taskRuns.filter((taskRun) => !remove.has(taskRun.id));
    execution.state = transition(execution.state, 'RESTARTED');
    delete execution.error;
    // Executions stored before the label existed get it now; others keep theirs.
    execution.labels = withCorrelationId(execution.labels, correlationIdOf(execution) ?? execution.id);
    const active = new ActiveExecution(execution, flow);
    this.#active.set(execution.id, active);
    this.log(active, 'INFO', `execution restarted (${remove.size} task runs run again)`);
    this.markDirty(active);
    this.requestAdvance(active);
    return execution;
  }

  async replay(executionId: string, fromTaskRunId?: string): Promise<Execution> {
    const original = await this.#stored(executionId);
    if (!isTerminal(original.state.current)) throw new Error(`execution ${executionId} is still running`);
    const flow = await this.#flow(original.namespace, original.flowId, original.flowRevision);
    const index = fromTaskRunId ? original.taskRuns.findIndex((taskRun) => taskRun.id === fromTaskRunId) : 0;
    if (index < 0) throw new Error(`task run ${fromTaskRunId} is not part of execution ${executionId}`);
    const kept = original.taskRuns
      .slice(0, index)
      .filter((taskRun) => taskRun.state.current === 'SUCCESS' || this.#isFlowableRun(flow, taskRun));
    const remove = new Set(original.taskRuns.slice(index).map((taskRun) => taskRun.id));
    removeDescendants(original, remove);
    const id = randomUUID();
    const taskRuns: TaskRun[] = kept
      .filter((taskRun) => !remove.has(taskRun.id))
      .map((taskRun) => {
        const copy: TaskRun = structuredClone(taskRun);
        copy.executionId = id;
        if (this.#isFlowableRun(flow, copy) && copy.state.current !== 'SUCCESS')
          copy.state = transition(copy.state, 'RUNNING');
        return copy;
      });
    // Flowable parents of the replayed task run again: they are not done.
    for (const taskRun of taskRuns) {
      if (this.#isFlowableRun(flow, taskRun)) taskRun.state = transition(taskRun.state, 'RUNNING');
    }
    const execution: Execution = {
      ...structuredClone(original),
      id,
      originalId: original.originalId ?? original.id,
      state: newState('CREATED'),
      taskRuns,
    };
    // A replay stays in the original's tree (same chat memory, same correlation).
    execution.labels = withCorrelationId(
      execution.labels,
      correlationIdOf(original) ?? original.originalId ?? original.id,
    );
    delete execution.outputs;
    delete execution.error;
    const active = new ActiveExecution(execution, flow);
    this.#active.set(id, active);
    this.log(
      active,
      'INFO',
      `replay of execution ${original.id}${fromTaskRunId ? ` from task run ${fromTaskRunId}` : ''}`,
    );
    this.markDirty(active);
    this.requestAdvance(active);
    return execution;
  }

  async resume(executionId: string, inputs: Record<string, unknown> = {}): Promise<Execution> {
    const active = this.#active.get(executionId) ?? (await this.#load(executionId));
    const paused = active.execution.taskRuns.filter((taskRun) => taskRun.state.current === 'PAUSED');
    if (paused.length === 0) throw new Error(`execution ${executionId} is not paused`);
    for (const taskRun of paused) this.#resumeTaskRun(active, taskRun, inputs);
    return active.execution;
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Executions this process is driving now. */
  activeCount(): number {
    return this.#active.size;
  }

  // ---- EngineCore ------------------------------------------------------------------------

  definition(task: TaskSpec): AnyPluginDefinition {
    const definition = this.registry.get(task.type);
    if (!definition) throw new Error(`unknown task type '${task.type}'`);
    return definition;
  }

  render(active: ActiveExecution, template: string, task?: TaskSpec, taskRun?: TaskRun): Promise<string> {
    active.renderer ??= templateRenderer({
      secrets: this.#options.secrets,
      masker: active.masker,
      repository: this.repository,
      namespace: active.execution.namespace,
      storage: this.#storage(active),
    });
    return active.renderer(template, this.#variables(active, task, taskRun));
  }

  #storage(active: ActiveExecution): FileStorage {
    active.storage ??= this.#options.storageFor(active.execution);
    return active.storage;
  }

  markDirty(active: ActiveExecution): void {
    active.dirty = true;
    // After stop() the last flush has run and the database may be closed.
    if (this.#flushScheduled || this.#stopped) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flushing = this.#flushing.then(() => this.#flush());
    });
  }

  requestAdvance(active: ActiveExecution): void {
    if (this.#stopped) return;
    if (active.advanceRequested) return;
    active.advanceRequested = true;
    active.advancing = active.advancing.then(async () => {
      active.advanceRequested = false;
      try {
        await advance(this, active);
      } catch (error) {
        this.log(active, 'ERROR', `the execution could not continue: ${errorMessage(error)}`);
        if (!active.terminal) active.setState('FAILED');
      }
      for (const taskRun of active.execution.taskRuns) {
        if (taskRun.state.current === 'PAUSED') this.#armPauseTimers(active, taskRun);
      }
      this.markDirty(active);
    });
  }

  dispatch(active: ActiveExecution, task: TaskSpec, taskRun: TaskRun): void {
    void this.#worker.run(active, task, taskRun);
  }

  log(active: ActiveExecution, level: LogLevel, message: string, taskRun?: TaskRun, attempt?: number): void {
    const entry: LogEntry = {
      namespace: active.execution.namespace,
      flowId: active.execution.flowId,
      executionId: active.execution.id,
      level,
      message: active.masker.mask(message),
      timestamp: new Date().toISOString(),
    };
    if (taskRun) {
      entry.taskId = taskRun.taskId;
      entry.taskRunId = taskRun.id;
      entry.attemptNumber = attempt ?? Math.max(1, taskRun.attempts.length);
    }
    active.pendingLogs.push(entry);
    this.markDirty(active);
  }

  async getExecution(id: string): Promise<Execution | undefined> {
    return this.#active.get(id)?.execution ?? (await this.repository.executions.get(id));
  }

  // ---- internals -------------------------------------------------------------------------

  /** Takes over a stored execution (e.g. one paused by another process) to act on it here. */
  async #load(executionId: string): Promise<ActiveExecution> {
    const execution = await this.repository.executions.get(executionId);
    if (!execution) throw new Error(`execution ${executionId} does not exist`);
    const flow = await this.#flow(execution.namespace, execution.flowId, execution.flowRevision);
    const active = new ActiveExecution(execution, flow);
    if (!active.terminal) this.#active.set(executionId, active);
    return active;
  }

  async #stored(executionId: string): Promise<Execution> {
    if (this.#active.has(executionId)) throw new Error(`execution ${executionId} is still running`);
    const execution = await this.repository.executions.get(executionId);
    if (!execution) throw new Error(`execution ${executionId} does not exist`);
    return execution;
  }

  async #flow(namespace: string, flowId: string, revision: number, source?: string): Promise<FlowSpec> {
    const key = `${namespace}/${flowId}/${revision}`;
    const cached = this.#flows.get(key);
    if (cached) return cached;
    let text = source;
    if (text === undefined) {
      const record = await this.repository.flows.get(namespace, flowId, revision);
      if (!record) throw new FlowNotFoundError(namespace, flowId, revision);
      text = record.source;
    }
    const result = loadFlows(text, this.registry, { file: `${namespace}/${flowId}` });
    if (!result.ok) {
      const first = result.violations[0];
      throw new Error(`flow ${namespace}/${flowId} revision ${revision} is invalid: ${first?.path}: ${first?.message}`);
    }
    const flow = result.flows[0]?.spec;
    if (!flow) throw new Error(`flow ${namespace}/${flowId} revision ${revision} has no flow document`);
    this.#flows.set(key, flow);
    return flow;
  }

  #taskById(flow: FlowSpec, taskId: string): TaskSpec | undefined {
    return allTasks(flow, this.registry).find((task) => task.id === taskId);
  }

  #isFlowableRun(flow: FlowSpec, taskRun: TaskRun): boolean {
    const task = this.#taskById(flow, taskRun.taskId);
    if (!task) return false;
    const definition = this.registry.get(task.type);
    return definition !== undefined && 'flowable' in definition && definition.flowable === true;
  }

  #variables(active: ActiveExecution, task?: TaskSpec, taskRun?: TaskRun): Record<string, unknown> {
    const inputs = this.#plainInputs(active);
    const base = executionVariables(active.execution, active.flow.variables, inputs, active.pendingFinalState);
    if (!task) return base;
    const chain: TaskRun[] = [];
    for (let id = taskRun?.parentTaskRunId; id; ) {
      const parent = active.byId(id);
      if (!parent) break;
      chain.push(parent);
      id = parent.parentTaskRunId;
    }
    return taskRunVariables(base, task, taskRun, chain);
  }

  /** Inputs with SECRET values decrypted (and registered for masking). */
  #plainInputs(active: ActiveExecution): Record<string, unknown> {
    const decrypt = (value: unknown, depth: number): unknown => {
      if (SecretCipher.isEncrypted(value)) {
        const secret = this.#cipher.decrypt(value);
        active.masker.add(secret);
        return secret;
      }
      if (depth < 8 && value && typeof value === 'object' && !Array.isArray(value)) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decrypt(item, depth + 1)]));
      }
      return value;
    };
    active.plainInputs ??= decrypt(active.execution.inputs, 0) as Record<string, unknown>;
    return active.plainInputs;
  }

  #runContext(active: ActiveExecution, task: TaskSpec, taskRun: TaskRun, signal: AbortSignal): RunContext {
    const execution = active.execution;
    const minLevel = task.logLevel;
    const attempt = taskRun.attempts.length;
    const repository = this.repository;
    return {
      signal,
      logger: taskLogger((level, message) => {
        if (minLevel && levelRank(level) < levelRank(minLevel)) return;
        this.log(active, level, message, taskRun, attempt);
      }),
      flow: { id: execution.flowId, namespace: execution.namespace, revision: execution.flowRevision },
      execution: { id: execution.id },
      taskRun: { id: taskRun.id, taskId: taskRun.taskId, attempt, ...(taskRun.value ? { value: taskRun.value } : {}) },
      variables: this.#variables(active, task, taskRun),
      render: async (template) =>
        typeof template === 'string' ? this.render(active, template, task, taskRun) : template,
      storage: this.#storage(active),
      kv: {
        get: (namespace, key) => repository.kv.get(namespace, key),
        set: (entry) => repository.kv.set(entry),
        list: (namespace, prefix) => repository.kv.list(namespace, prefix === undefined ? {} : { prefix }),
        delete: (namespace, key) => repository.kv.delete(namespace, key),
      },
      dataDir: this.#options.dataDir,
      workingDirectory: this.#options.workingDirectory ?? process.cwd(),
      maskSecret: (value) => active.masker.add(value),
      metric: (metric) => {
        const state = flowableState(taskRun);
        if (!Array.isArray(state.metrics)) state.metrics = [];
        (state.metrics as unknown[]).push(metric);
      },
      resources: this.resources,
      registry: this.registry,
    };
  }

  #armPauseTimers(active: ActiveExecution, taskRun: TaskRun): void {
    const state = taskRun.flowableState ?? {};
    if (state.timersArmed) return;
    state.timersArmed = true;
    const resumeAt = typeof state.resumeAt === 'string' ? Date.parse(state.resumeAt) : undefined;
    const timeoutAt = typeof state.timeoutAt === 'string' ? Date.parse(state.timeoutAt) : undefined;
    if (resumeAt !== undefined) {
      active.after(Math.max(0, resumeAt - Date.now()), () => this.#resumeTaskRun(active, taskRun, {}));
    }
    if (timeoutAt !== undefined) {
      active.after(Math.max(0, timeoutAt - Date.now()), () => {
        if (taskRun.state.current !== 'PAUSED') return;
        this.log(active, 'ERROR', 'the pause timed out without being resumed', taskRun);
        active.setTaskRunState(taskRun, 'FAILED');
        this.requestAdvance(active);
      });
    }
  }

  #resumeTaskRun(active: ActiveExecution, taskRun: TaskRun, inputs: Record<string, unknown>): void {
    if (taskRun.state.current !== 'PAUSED') return;
    taskRun.outputs = { ...(taskRun.outputs ?? {}), onResume: inputs };
    active.setTaskRunState(taskRun, 'RUNNING');
    if (active.execution.state.current === 'PAUSED') active.setState('RUNNING');
    this.log(active, 'INFO', 'resumed', taskRun);
    this.requestAdvance(active);
  }

  /** A flow's `concurrency` limit: admit, queue, cancel or fail a new execution. */
  #admit(active: ActiveExecution): boolean {
    const limit = active.flow.concurrency?.limit;
    if (!limit) return true;
    const running = [...this.#active.values()].filter(
      (other) =>
        other !== active &&
        other.execution.namespace === active.execution.namespace &&
        other.execution.flowId === active.execution.flowId &&
        !other.terminal &&
        other.execution.state.current !== 'QUEUED',
    ).length;
    if (running < limit) return true;
    const behavior = active.flow.concurrency?.behavior ?? 'QUEUE';
    if (behavior === 'QUEUE') {
      active.setState('QUEUED');
      this.log(active, 'INFO', `queued: ${running} executions of this flow are running (concurrency limit ${limit})`);
    } else {
      active.setState(behavior === 'CANCEL' ? 'CANCELLED' : 'FAILED');
      active.execution.error = { message: `concurrency limit of ${limit} reached` };
      this.log(
        active,
        'WARN',
        `concurrency limit of ${limit} reached: execution ${behavior === 'CANCEL' ? 'cancelled' : 'failed'}`,
      );
    }
    return false;
  }

  #startQueued(): void {
    for (const active of this.#active.values()) {
      if (active.execution.state.current !== 'QUEUED') continue;
      active.execution.state = transition(active.execution.state, 'CREATED');
      if (this.#admit(active)) this.requestAdvance(active);
      else if (active.execution.state.current === 'CREATED') active.setState('QUEUED');
    }
  }

  async #flush(): Promise<void> {
    const dirty = [...this.#active.values()].filter((active) => active.dirty);
    if (dirty.length === 0) return;
    const logs: LogEntry[] = [];
    for (const active of dirty) {
      active.dirty = false;
      logs.push(...active.pendingLogs.splice(0));
    }
    try {
      await this.repository.executions.saveAll(dirty.map((active) => active.execution));
      if (logs.length > 0) await this.repository.logs.append(logs);
    } catch (error) {
      // Keep them dirty: the next flush tries again.
      for (const active of dirty) active.dirty = true;
      console.error(`windhover: could not save executions: ${errorMessage(error)}`);
      return;
    }
    if (logs.length > 0) this.#emit({ type: 'logs', entries: logs });
    let ended = false;
    for (const active of dirty) {
      this.#emit({ type: 'execution', execution: active.execution });
      if (active.terminal && active.running.size === 0) {
        active.clearTimers();
        this.#active.delete(active.execution.id);
        ended = true;
        const waiters = this.#waiters.get(active.execution.id) ?? [];
        this.#waiters.delete(active.execution.id);
        for (const resolve of waiters) resolve(active.execution);
        this.#onEnded(active.execution);
      }
    }
    if (ended) this.#startQueued();
  }

  /** A parent waiting on this execution (Subflow) moves on. */
  #onEnded(execution: Execution): void {
    if (!execution.parentId) return;
    const parent = this.#active.get(execution.parentId);
    if (parent) this.requestAdvance(parent);
  }

  #emit(event: EngineEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A failing listener must not stop the engine.
      }
    }
  }
}

/** The flow's labels; its validation rejects `system.` ones, and the correlation id is never taken from a flow. */
function flowLabels(flow: FlowSpec): { key: string; value: string }[] {
  const labels = flow.labels;
  if (!labels) return [];
  const list = Array.isArray(labels)
    ? labels.map(({ key, value }) => ({ key, value: String(value) }))
    : Object.entries(labels).map(([key, value]) => ({ key, value: String(value) }));
  return list.filter((label) => label.key !== CORRELATION_ID_LABEL);
}

/** Every task of the flow's `errors` and of the flowables' `errors` lists, with their children. */
function errorBranchTaskIds(flow: FlowSpec, registry: PluginRegistry): Set<string> {
  const ids = new Set<string>();
  const collect = (tasks: TaskSpec[]) => {
    for (const task of tasks) {
      ids.add(task.id);
      for (const child of childTaskLists(task, registry)) collect(child.tasks);
    }
  };
  collect(flow.errors ?? []);
  for (const task of allTasks(flow, registry)) {
    for (const child of childTaskLists(task, registry)) if (child.key === 'errors') collect(child.tasks);
  }
  return ids;
}

/** Adds every task run under one of `ids` to it. */
function removeDescendants(execution: Execution, ids: Set<string>): void {
  let grew = true;
  while (grew) {
    grew = false;
    for (const taskRun of execution.taskRuns) {
      if (!ids.has(taskRun.id) && taskRun.parentTaskRunId && ids.has(taskRun.parentTaskRunId)) {
        ids.add(taskRun.id);
        grew = true;
      }
    }
  }
}

export type { State };
