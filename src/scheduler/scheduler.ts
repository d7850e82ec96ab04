import { correlationIdOf } from '../engine/correlation-id.ts';
import type { EngineApi, EngineEvent } from '../engine/engine-api.ts';
import { render } from '../expression/index.ts';
import type { TriggerSpec } from '../flow/flow-types.ts';
import { loadFlows } from '../flow/load-flows.ts';
import type { Execution } from '../model/execution.ts';
import type { State } from '../model/state.ts';
import { isTerminal, TERMINAL_STATES } from '../model/state.ts';
import type { SubPluginDefinition } from '../plugin/define-plugin.ts';
import { parseDuration } from '../plugin/dynamic.ts';
import type { PluginRegistry } from '../plugin/plugin-registry.ts';
import type { Repository } from '../repository/repository.ts';
import type { ConditionImplementation } from '../tasks/trigger/condition-spec.ts';
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import { CronSchedule } from './cron-schedule.ts';
import {
  advanceFlowCursor,
  alreadyEvaluated,
  endedSince,
  isFlowCursor,
  MAX_CATCH_UP_MS,
  MAX_SCANNED,
  markEvaluated,
  newFlowCursor,
} from './flow-cursor.ts';
import type { BackfillState, FlowCursor, SchedulerTriggerState } from './trigger-state.ts';
import { stateKey } from './trigger-state.ts';
import { formatZoned } from './zoned-date.ts';

const SCHEDULE = 'io.kestra.plugin.core.trigger.Schedule';
const FLOW = 'io.kestra.plugin.core.trigger.Flow';
const MAX_SKIPS = 10_000;

export interface SchedulerOptions {
  repository: Repository;
  engine: EngineApi;
  registry: PluginRegistry;
  clock?: Clock;
  /** A due date older than this counts as missed (downtime) and follows the recovery policy. Default 60 s. */
  missedAfterMs?: number;
  /** Where problems are reported (invalid flows, failed creations); default stderr. */
  onError?: (message: string) => void;
  /** Where notable events are reported (Flow trigger catch-up at start); default stderr. */
  onLog?: (message: string) => void;
}

/** One trigger of one flow revision, as the scheduler runs it. */
interface ActiveTrigger {
  key: string;
  namespace: string;
  flowId: string;
  revision: number;
  flowDisabled: boolean;
  /** ISO-8601 save time of the flow revision: a new Flow trigger evaluates what ends from then on. */
  savedAt: string;
  spec: TriggerSpec;
  schedule?: CronSchedule;
  timezone: string;
  recover: 'ALL' | 'LAST' | 'NONE';
  lateMaximumDelayMs?: number;
  labels: { key: string; value: string }[];
  signature: string;
}

interface Fire {
  trigger: ActiveTrigger;
  state: SchedulerTriggerState;
  date: Date;
  inputs: Record<string, unknown>;
  labels: { key: string; value: string }[];
  /** `trigger.date/next/previous`, computed while preparing. */
  variables?: Record<string, unknown>;
  /** Why the inputs could not be rendered; reported when the fire is released. */
  error?: string;
}

function labelList(labels: TriggerSpec['labels']): { key: string; value: string }[] {
  if (!labels) return [];
  if (Array.isArray(labels)) return labels.map((l) => ({ key: String(l.key), value: String(l.value) }));
  return Object.entries(labels).map(([key, value]) => ({ key, value: String(value) }));
}

/**
 * Fires the flows' triggers: Schedule triggers by date (no overlap, recovery after downtime,
 * exactly once across restarts, backfills) and Flow triggers when executions end.
 */
export class Scheduler {
  readonly #repository: Repository;
  readonly #engine: EngineApi;
  readonly #registry: PluginRegistry;
  readonly #clock: Clock;
  readonly #missedAfterMs: number;
  readonly #onError: (message: string) => void;
  readonly #onLog: (message: string) => void;
  #triggers = new Map<string, ActiveTrigger>();
  #flowTriggers: ActiveTrigger[] = [];
  readonly #states = new Map<string, SchedulerTriggerState>();
  readonly #parsed = new Map<string, { revision: number; triggers: ActiveTrigger[] }>();
  readonly #running = new Map<string, string>();
  readonly #ended = new Set<string>();
  #unsubscribe?: () => void;
  #timer?: NodeJS.Timeout;
  #stopped = true;
  #lastSync = 0;
  #ticking?: Promise<void>;
  #flowTriggerChain: Promise<void> = Promise.resolve();
  #catchUpQueued = false;
  #closing = false;

  constructor(options: SchedulerOptions) {
    this.#repository = options.repository;
    this.#engine = options.engine;
    this.#registry = options.registry;
    this.#clock = options.clock ?? systemClock;
    this.#missedAfterMs = options.missedAfterMs ?? 60_000;
    this.#onError = options.onError ?? ((message) => console.error(`windhover scheduler: ${message}`));
    this.#onLog = options.onLog ?? ((message) => console.error(`windhover scheduler: ${message}`));
    this.#unsubscribe = this.#engine.subscribe((event) => this.#onEvent(event));
  }

  /** Reads every flow's triggers from the repository; removed flows and triggers stop firing. */
  async syncFlows(): Promise<void> {
    const now = this.#clock.now();
    const next = new Map<string, ActiveTrigger>();
    const seenFlows = new Set<string>();
    for (let page = 1; ; page++) {
      const result = await this.#repository.flows.search({ page, size: 500 });
      for (const record of result.results) {
        const flowKey = `${record.namespace}\u0000${record.id}`;
        seenFlows.add(flowKey);
        let cached = this.#parsed.get(flowKey);
        if (!cached || cached.revision !== record.revision) {
          cached = {
            revision: record.revision,
            triggers: this.#parseTriggers(record.namespace, record.id, record.revision, record.source),
          };
          this.#parsed.set(flowKey, cached);
        }
        for (const trigger of cached.triggers)
          next.set(trigger.key, { ...trigger, flowDisabled: record.disabled, savedAt: record.updated });
      }
      if (page * 500 >= result.total) break;
    }
    for (const flowKey of this.#parsed.keys()) if (!seenFlows.has(flowKey)) this.#parsed.delete(flowKey);

    const stored = await this.#repository.triggers.list();
    const storedKeys = new Set<string>();
    for (const state of stored) {
      const key = stateKey(state.namespace, state.flowId, state.triggerId);
      storedKeys.add(key);
      if (!next.has(key)) {
        await this.#repository.triggers.delete(state.namespace, state.flowId, state.triggerId);
        this.#states.delete(key);
      } else if (!this.#states.has(key)) {
        this.#states.set(key, state as SchedulerTriggerState);
      }
    }
    const created: SchedulerTriggerState[] = [];
    let unfinished: Execution[] | undefined;
    for (const trigger of next.values()) {
      let state = this.#states.get(trigger.key);
      const fresh = !state;
      if (!state || !storedKeys.has(trigger.key)) {
        state = state ?? {
          namespace: trigger.namespace,
          flowId: trigger.flowId,
          triggerId: trigger.spec.id,
          disabled: false,
          updated: now.toISOString(),
        };
        this.#states.set(trigger.key, state);
        created.push(state);
      }
      if (trigger.schedule && state.signature !== trigger.signature) {
        // A new or changed schedule starts from its first date after now.
        state.signature = trigger.signature;
        const first = trigger.schedule.next(now);
        if (first) state.nextDate = first.toISOString();
        else delete state.nextDate;
        if (!created.includes(state)) created.push(state);
      }
      if (trigger.spec.type === FLOW && !isFlowCursor(state.flowCursor)) {
        if (state.flowCursor !== undefined) {
          this.#onError(
            `flow ${trigger.namespace}/${trigger.flowId}, trigger ${trigger.spec.id}: the stored flowCursor is not valid; Flow trigger catch-up restarts from now`,
          );
        }
        // A new trigger evaluates what ends from its revision's save on (capped like catch-up);
        // a state stored before cursors existed starts now rather than replaying history.
        const saved = Math.min(Date.parse(trigger.savedAt) || now.getTime(), now.getTime());
        const since = fresh ? Math.max(saved, now.getTime() - MAX_CATCH_UP_MS) : now.getTime();
        unfinished ??= await this.#repository.executions.findUnfinished();
        state.flowCursor = newFlowCursor(new Date(since), unfinished);
        if (!created.includes(state)) created.push(state);
      }
      if (state.runningExecutionId) this.#running.set(state.runningExecutionId, trigger.key);
    }
    this.#triggers = next;
    this.#flowTriggers = [...next.values()].filter((t) => t.spec.type === FLOW);
    await this.#repository.triggers.saveAll(created);
    this.#lastSync = now.getTime();
  }

  #parseTriggers(namespace: string, flowId: string, revision: number, source: string): ActiveTrigger[] {
    const loaded = loadFlows(source, this.#registry);
    if (!loaded.ok) {
      const first = loaded.violations[0];
      this.#onError(
        `flow ${namespace}/${flowId} revision ${revision} is invalid (${first?.path}: ${first?.message}); its triggers are not scheduled`,
      );
      return [];
    }
    const spec = loaded.flows[0]?.spec;
    const triggers: ActiveTrigger[] = [];
    for (const trigger of spec?.triggers ?? []) {
      const type = this.#registry.canonicalType(trigger.type) ?? trigger.type;
      const where = `flow ${namespace}/${flowId}, trigger ${trigger.id}`;
      try {
        const base = {
          key: stateKey(namespace, flowId, trigger.id),
          namespace,
          flowId,
          revision,
          flowDisabled: false,
          savedAt: '',
          spec: { ...trigger, type },
          labels: labelList(trigger.labels),
          timezone: typeof trigger.timezone === 'string' ? trigger.timezone : 'UTC',
          recover: (trigger.recoverMissedSchedules as ActiveTrigger['recover'] | undefined) ?? 'ALL',
          signature: '',
        };
        if (type === SCHEDULE) {
          const withSeconds = trigger.withSeconds === true;
          const schedule = new CronSchedule(String(trigger.cron), { withSeconds, timezone: base.timezone, where });
          const late =
            typeof trigger.lateMaximumDelay === 'string' ? parseDuration(trigger.lateMaximumDelay) : undefined;
          triggers.push({
            ...base,
            schedule,
            signature: `${String(trigger.cron)}|${base.timezone}|${withSeconds}`,
            ...(late !== undefined ? { lateMaximumDelayMs: late } : {}),
          });
        } else if (type === FLOW) {
          triggers.push(base);
        }
      } catch (error) {
        this.#onError(`${where}: ${(error as Error).message}`);
      }
    }
    return triggers;
  }

  /** Evaluates every Schedule trigger once at the clock's time and starts what is due. */
  async tick(): Promise<void> {
    return this.#run(0);
  }

  #run(lookaheadMs: number): Promise<void> {
    if (this.#ticking) return this.#ticking;
    this.#ticking = this.#tick(lookaheadMs).finally(() => {
      this.#ticking = undefined;
    });
    return this.#ticking;
  }

  /**
   * Prepares the fires due before now + lookahead (evaluated, variables rendered, persisted as
   * pending), then starts each group at its date. Preparing ahead keeps the work between a
   * date and its execution to the engine call itself.
   */
  async #tick(lookaheadMs: number): Promise<void> {
    const now = this.#clock.now();
    const horizon = new Date(now.getTime() + lookaheadMs);
    const fires: Fire[] = [];
    const changed: SchedulerTriggerState[] = [];
    for (const trigger of this.#triggers.values()) {
      if (!trigger.schedule) continue;
      const state = this.#states.get(trigger.key);
      if (!state) continue;
      try {
        const fire = await this.#evaluate(trigger, state, now, horizon, changed);
        if (fire) fires.push(fire);
      } catch (error) {
        this.#onError(
          `flow ${trigger.namespace}/${trigger.flowId}, trigger ${trigger.spec.id}: ${(error as Error).message}`,
        );
      }
    }
    // Persist every fire before creating its execution: after a crash the pending date is
    // finished (or found already created) instead of being fired twice or lost.
    for (const fire of fires) {
      fire.state.pendingDate ??= fire.date.toISOString();
      fire.state.pendingAt = now.toISOString();
      fire.state.updated = now.toISOString();
      if (!changed.includes(fire.state)) changed.push(fire.state);
    }
    await this.#repository.triggers.saveAll(changed);
    for (const fire of fires) await this.#prepareVariables(fire);
    fires.sort((a, b) => a.date.getTime() - b.date.getTime());
    for (let start = 0; start < fires.length; ) {
      const date = fires[start]?.date.getTime() ?? 0;
      let end = start;
      while (end < fires.length && (fires[end]?.date.getTime() ?? 0) <= Math.max(date, this.#clock.now().getTime()))
        end++;
      const wait = date - this.#clock.now().getTime();
      if (wait > 0) await this.#sleep(wait);
      if (this.#stopped && lookaheadMs > 0) return; // still pending: the next start releases them
      const group = fires.slice(start, end);
      const created = await Promise.all(group.map((fire) => this.#create(fire)));
      await this.#repository.triggers.saveAll(created.filter((s): s is SchedulerTriggerState => s !== undefined));
      start = end;
    }
  }

  #sleeper?: () => void;

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#sleeper = done;
    });
  }

  async #prepareVariables(fire: Fire): Promise<void> {
    const { trigger, date } = fire;
    const schedule = trigger.schedule as CronSchedule;
    const next = schedule.next(date);
    const previous = schedule.previous(date);
    fire.variables = {
      date: formatZoned(date, trigger.timezone),
      ...(next ? { next: formatZoned(next, trigger.timezone) } : {}),
      ...(previous ? { previous: formatZoned(previous, trigger.timezone) } : {}),
    };
    try {
      fire.inputs = await this.#renderInputs(fire.inputs, {
        trigger: fire.variables,
        flow: { namespace: trigger.namespace, id: trigger.flowId },
      });
    } catch (error) {
      fire.error = (error as Error).message;
    }
  }

  async #evaluate(
    trigger: ActiveTrigger,
    state: SchedulerTriggerState,
    now: Date,
    horizon: Date,
    changed: SchedulerTriggerState[],
  ): Promise<Fire | undefined> {
    const schedule = trigger.schedule as CronSchedule;
    const touch = () => {
      state.updated = now.toISOString();
      if (!changed.includes(state)) changed.push(state);
    };
    if (state.runningExecutionId) {
      const id = state.runningExecutionId;
      if (!this.#ended.has(id)) {
        const execution = await this.#repository.executions.get(id);
        if (execution && !isTerminal(execution.state.current)) return undefined;
        if (execution) this.#applyStopAfter(trigger, state, execution.state.current);
      }
      this.#ended.delete(id);
      this.#running.delete(id);
      // Not persisted on its own: after a restart the ended execution is looked up again.
      // A stopAfter state that disabled the trigger must be persisted, though.
      delete state.runningExecutionId;
      if (state.disabled) touch();
    }
    if (state.pendingDate) {
      if (Date.parse(state.pendingDate) > horizon.getTime()) return undefined;
      const date = state.pendingDate;
      const existing = await this.#findStarted(trigger, (e) => e.scheduleDate === date);
      if (existing) {
        state.runningExecutionId = existing.id;
        state.lastExecutionId = existing.id;
        this.#running.set(existing.id, trigger.key);
        delete state.pendingDate;
        delete state.pendingAt;
        touch();
        return undefined;
      }
      return {
        trigger,
        state,
        date: new Date(state.pendingDate),
        inputs: trigger.spec.inputs ?? {},
        labels: trigger.labels,
      };
    }
    if (trigger.spec.disabled || trigger.flowDisabled || state.disabled) return undefined;

    const backfill = state.backfill as BackfillState | undefined;
    if (backfill && !backfill.paused) {
      const date = new Date(backfill.currentDate);
      const after = schedule.next(date);
      if (after && after.getTime() <= Date.parse(backfill.end)) backfill.currentDate = after.toISOString();
      else delete state.backfill;
      touch();
      if (date.getTime() <= Date.parse(backfill.end)) {
        return {
          trigger,
          state,
          date,
          inputs: { ...(trigger.spec.inputs ?? {}), ...(backfill.inputs ?? {}) },
          labels: [...trigger.labels, ...(backfill.labels ?? [])],
        };
      }
    }

    let next = state.nextDate ? new Date(state.nextDate) : schedule.next(now);
    for (let skips = 0; next && next.getTime() <= horizon.getTime() && skips < MAX_SKIPS; skips++) {
      let date = next;
      if (now.getTime() - date.getTime() > this.#missedAfterMs && trigger.recover !== 'ALL') {
        // Downtime: LAST keeps only the latest missed date, NONE keeps a date only if it is on time.
        const latest = schedule.previous(new Date(now.getTime() + 1)) ?? date;
        const onTime = now.getTime() - latest.getTime() <= this.#missedAfterMs;
        if (trigger.recover === 'LAST' || onTime) date = latest;
        else {
          next = schedule.next(now);
          break;
        }
      }
      next = schedule.next(date);
      const tooLate =
        trigger.lateMaximumDelayMs !== undefined && now.getTime() - date.getTime() > trigger.lateMaximumDelayMs;
      if (tooLate || !(await this.#conditionsPass(trigger, date))) continue;
      state.lastDate = date.toISOString();
      if (next) state.nextDate = next.toISOString();
      else delete state.nextDate;
      touch();
      return { trigger, state, date, inputs: trigger.spec.inputs ?? {}, labels: trigger.labels };
    }
    const nextIso = next?.toISOString();
    if (nextIso !== state.nextDate) {
      if (nextIso) state.nextDate = nextIso;
      else delete state.nextDate;
      touch();
    }
    return undefined;
  }

  async #create(fire: Fire): Promise<SchedulerTriggerState | undefined> {
    const { trigger, state, date } = fire;
    try {
      if (fire.error !== undefined) throw new Error(fire.error);
      const execution = await this.#engine.createExecution(trigger.namespace, trigger.flowId, {
        inputs: fire.inputs,
        labels: fire.labels,
        trigger: { id: trigger.spec.id, type: SCHEDULE, variables: fire.variables ?? {} },
        scheduleDate: date.toISOString(),
      });
      state.runningExecutionId = execution.id;
      state.lastExecutionId = execution.id;
      this.#running.set(execution.id, trigger.key);
      if (isTerminal(execution.state.current)) this.#ended.add(execution.id);
    } catch (error) {
      this.#onError(
        `flow ${trigger.namespace}/${trigger.flowId}, trigger ${trigger.spec.id}: could not start the execution for ${date.toISOString()}: ${(error as Error).message}`,
      );
    }
    delete state.pendingDate;
    delete state.pendingAt;
    state.updated = this.#clock.now().toISOString();
    return state;
  }

  /**
   * An execution this trigger already started for a fire (the process stopped before recording
   * it): among the flow's newest executions (those started from `since`), one that carries this
   * trigger and passes `match`.
   */
  async #findStarted(
    trigger: ActiveTrigger,
    match: (execution: Execution) => boolean,
    since?: string,
  ): Promise<Execution | undefined> {
    for (let page = 1; page <= 5; page++) {
      const result = await this.#repository.executions.search({
        namespace: trigger.namespace,
        flowId: trigger.flowId,
        ...(since ? { startDate: since } : {}),
        page,
        size: 200,
      });
      const found = result.results.find((e) => e.trigger?.id === trigger.spec.id && match(e));
      if (found) return found;
      if (page * 200 >= result.total) break;
    }
    return undefined;
  }

  #applyStopAfter(trigger: ActiveTrigger, state: SchedulerTriggerState, ended: State): void {
    if (trigger.spec.stopAfter?.includes(ended)) state.disabled = true;
  }

  async #conditionsPass(
    trigger: ActiveTrigger,
    date: Date,
    execution?: Execution,
    variables?: Record<string, unknown>,
  ): Promise<boolean> {
    const conditions = trigger.spec.conditions ?? [];
    for (const [index, condition] of conditions.entries()) {
      const definition = this.#registry.get(condition.type) as
        | SubPluginDefinition<never, ConditionImplementation>
        | undefined;
      const where = `flow ${trigger.namespace}/${trigger.flowId}, trigger ${trigger.spec.id}, conditions[${index}]`;
      if (definition?.category !== 'condition' || typeof definition.implementation?.test !== 'function') {
        throw new Error(`${where}: unknown condition type '${condition.type}'`);
      }
      const { type: _type, ...props } = condition;
      const vars = variables ?? {
        trigger: { date: formatZoned(date, trigger.timezone) },
        flow: { namespace: trigger.namespace, id: trigger.flowId },
      };
      const ok = await definition.implementation.test(props, {
        date,
        timezone: trigger.timezone,
        flow: { namespace: trigger.namespace, id: trigger.flowId },
        ...(execution ? { execution } : {}),
        render: (template) => render(template, { variables: vars }),
      });
      if (!ok) return false;
    }
    return true;
  }

  async #renderInputs(
    inputs: Record<string, unknown>,
    variables: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(inputs)) {
      out[key] = typeof value === 'string' ? await render(value, { variables }) : value;
    }
    return out;
  }

  #onEvent(event: EngineEvent): void {
    if (event.type !== 'execution' || !isTerminal(event.execution.state.current)) return;
    const execution = event.execution;
    const key = this.#running.get(execution.id);
    if (key || execution.trigger?.type === SCHEDULE) {
      if (this.#ended.has(execution.id)) return;
      this.#ended.add(execution.id);
      // Ends of schedule executions this process did not start are never consumed: keep a bound.
      if (this.#ended.size > 50_000) {
        for (const id of this.#ended) {
          if (this.#ended.size <= 40_000) break;
          if (!this.#running.has(id)) this.#ended.delete(id);
        }
      }
      const trigger = key ? this.#triggers.get(key) : undefined;
      const state = key ? this.#states.get(key) : undefined;
      if (trigger && state) this.#applyStopAfter(trigger, state, execution.state.current);
      this.#wake();
    }
    if (this.#flowTriggers.length === 0) return;
    this.#flowTriggerChain = this.#flowTriggerChain
      .then(() => this.onExecutionEnded(execution))
      .catch((error: unknown) => this.#onError(`flow triggers after ${execution.id}: ${(error as Error).message}`));
  }

  /** Resolves once the Flow triggers of every ended execution seen so far are evaluated. */
  async idle(): Promise<void> {
    await this.#flowTriggerChain;
  }

  /** Evaluates Flow triggers for an execution that ended (called from engine events). */
  async onExecutionEnded(execution: Execution): Promise<void> {
    for (const trigger of this.#flowTriggers) {
      const state = this.#states.get(trigger.key);
      if (state) await this.#evaluateFlowTrigger(trigger, state, execution, false);
    }
  }

  /**
   * Evaluates Flow triggers for the executions that ended since each trigger's cursor and were
   * not acted on: they ended while no scheduler ran, before a crash was recorded, or in another
   * process. Queued behind live evaluations, so both never act on one execution. Resolves to how
   * many ended executions a trigger acted on; errors go to `onError`.
   */
  catchUpFlowTriggers(): Promise<number> {
    const run = this.#flowTriggerChain
      .then(() => this.#catchUp())
      .catch((error: unknown) => {
        this.#onError(`Flow trigger catch-up: ${(error as Error).message}`);
        return 0;
      });
    this.#flowTriggerChain = run.then(() => undefined);
    return run;
  }

  async #catchUp(): Promise<number> {
    const entries = this.#flowTriggers.flatMap((trigger) => {
      const state = this.#states.get(trigger.key);
      return state ? [{ trigger, state }] : [];
    });
    if (entries.length === 0) return 0;
    const now = this.#clock.now();
    // Read before the scan: an execution that ends in between is found as open next time.
    const unfinished = await this.#repository.executions.findUnfinished();
    for (const { state } of entries) state.flowCursor ??= newFlowCursor(now, unfinished);
    const cursors = entries.map(({ state }) => state.flowCursor as FlowCursor);
    const { executions, truncated } = await endedSince(this.#repository, cursors, now, unfinished);
    if (truncated) {
      this.#onError(
        `Flow trigger catch-up read the ${MAX_SCANNED} newest ended executions only; older ones do not fire Flow triggers`,
      );
    }
    const acted = new Set<string>();
    for (const { trigger, state } of entries) {
      const off = this.#flowTriggerOff(trigger, state);
      for (const execution of off ? [] : executions) {
        if (this.#closing) return acted.size; // cursors not advanced: the next start goes on from here
        if (await this.#evaluateFlowTrigger(trigger, state, execution, true)) acted.add(execution.id);
      }
      advanceFlowCursor(state.flowCursor as FlowCursor, now, unfinished, off);
      state.updated = now.toISOString();
    }
    await this.#repository.triggers.saveAll(entries.map(({ state }) => state));
    return acted.size;
  }

  #flowTriggerOff(trigger: ActiveTrigger, state: SchedulerTriggerState): boolean {
    return trigger.spec.disabled === true || trigger.flowDisabled || state.disabled;
  }

  /**
   * Evaluates one Flow trigger for one ended execution; true when it acted (fired, counted the
   * execution toward its preconditions, or failed to start), which the cursor records so neither
   * a live event nor a catch-up acts on that end again. `catchUp` first looks for an execution
   * already started for it (a crash between starting it and saving the state).
   */
  async #evaluateFlowTrigger(
    trigger: ActiveTrigger,
    state: SchedulerTriggerState,
    execution: Execution,
    catchUp: boolean,
  ): Promise<boolean> {
    if (this.#flowTriggerOff(trigger, state)) return false;
    if (trigger.namespace === execution.namespace && trigger.flowId === execution.flowId) return false;
    if (alreadyEvaluated(state.flowCursor, execution)) return false;
    const now = this.#clock.now();
    const acted = async () => {
      markEvaluated(state.flowCursor, execution);
      state.updated = now.toISOString();
      await this.#repository.triggers.save(state);
      return true;
    };
    const defaultStates = (trigger.spec.states as State[] | undefined) ?? [...TERMINAL_STATES];
    const preconditions = trigger.spec.preconditions as
      | { flows?: { namespace: string; flowId: string; states?: State[] }[]; resetOnSuccess?: boolean }
      | undefined;
    const upstream = preconditions?.flows ?? [];
    if (!defaultStates.includes(execution.state.current) && upstream.length === 0) return false;
    if (upstream.length > 0) {
      const matched = upstream.findIndex(
        (u) =>
          u.namespace === execution.namespace &&
          u.flowId === execution.flowId &&
          (u.states ?? defaultStates).includes(execution.state.current),
      );
      if (matched < 0) return false;
      state.seen = { ...(state.seen ?? {}), [String(matched)]: execution.id };
      if (Object.keys(state.seen).length < upstream.length) return acted();
      delete state.seen;
    }
    const upstreamCorrelationId = correlationIdOf(execution);
    const variables = {
      executionId: execution.id,
      namespace: execution.namespace,
      flowId: execution.flowId,
      flowRevision: execution.flowRevision,
      state: execution.state.current,
      outputs: execution.outputs ?? {},
      labels: execution.labels,
    };
    const renderVars = {
      trigger: variables,
      execution: {
        id: execution.id,
        state: execution.state.current,
        namespace: execution.namespace,
        flowId: execution.flowId,
      },
      flow: { namespace: trigger.namespace, id: trigger.flowId },
    };
    // Conditions see the end date, so a catch-up decides as the live event did.
    const ended = execution.state.endDate ? new Date(execution.state.endDate) : now;
    if (!(await this.#conditionsPass(trigger, ended, execution, renderVars))) {
      // Met preconditions were reset above: that must not happen twice.
      return upstream.length > 0 ? acted() : false;
    }
    const started = catchUp
      ? await this.#findStarted(
          trigger,
          (e) => e.trigger?.type === FLOW && e.trigger.variables.executionId === execution.id,
          execution.state.endDate,
        )
      : undefined;
    if (started) {
      state.lastExecutionId = started.id;
      return acted();
    }
    try {
      const created = await this.#engine.createExecution(trigger.namespace, trigger.flowId, {
        inputs: await this.#renderInputs(trigger.spec.inputs ?? {}, renderVars),
        labels: trigger.labels,
        trigger: { id: trigger.spec.id, type: FLOW, variables },
        // As in the reference, the downstream execution joins the upstream one's tree.
        ...(upstreamCorrelationId ? { correlationId: upstreamCorrelationId } : {}),
      });
      state.lastExecutionId = created.id;
      state.lastDate = now.toISOString();
      await this.#stored(created.id);
    } catch (error) {
      this.#onError(
        `flow ${trigger.namespace}/${trigger.flowId}, trigger ${trigger.spec.id}: could not start: ${(error as Error).message}`,
      );
    }
    return acted();
  }

  /**
   * Waits (up to about a second) until the engine has saved a new execution: the engine saves
   * shortly after `createExecution` returns, and recording the fire first would lose it to a
   * crash in between (a catch-up finds a saved one and does not fire again).
   */
  async #stored(executionId: string): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await this.#repository.executions.get(executionId)) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /**
   * Runs a Schedule trigger for every date in [start, end] (one at a time, before regular
   * dates), with extra inputs and labels. Pause, resume or cancel it with the methods below.
   */
  async backfill(
    namespace: string,
    flowId: string,
    triggerId: string,
    options: {
      start: Date | string;
      end?: Date | string;
      inputs?: Record<string, unknown>;
      labels?: { key: string; value: string }[];
    },
  ): Promise<BackfillState> {
    const { trigger, state } = this.#scheduleTrigger(namespace, flowId, triggerId);
    const start = new Date(options.start);
    const end = new Date(options.end ?? this.#clock.now());
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start > end) {
      throw new Error(`backfill of ${namespace}/${flowId} trigger ${triggerId}: start must be a date before end`);
    }
    const first = (trigger.schedule as CronSchedule).next(new Date(start.getTime() - 1));
    if (!first || first > end)
      throw new Error(
        `backfill of ${namespace}/${flowId} trigger ${triggerId}: no scheduled date between start and end`,
      );
    const backfill: BackfillState = {
      start: start.toISOString(),
      end: end.toISOString(),
      currentDate: first.toISOString(),
      paused: false,
      ...(options.inputs ? { inputs: options.inputs } : {}),
      ...(options.labels ? { labels: options.labels } : {}),
    };
    state.backfill = { ...backfill };
    state.updated = this.#clock.now().toISOString();
    await this.#repository.triggers.save(state);
    return backfill;
  }

  async pauseBackfill(namespace: string, flowId: string, triggerId: string): Promise<void> {
    await this.#setBackfill(namespace, flowId, triggerId, (b) => ({ ...b, paused: true }));
  }

  async resumeBackfill(namespace: string, flowId: string, triggerId: string): Promise<void> {
    await this.#setBackfill(namespace, flowId, triggerId, (b) => ({ ...b, paused: false }));
  }

  async cancelBackfill(namespace: string, flowId: string, triggerId: string): Promise<void> {
    await this.#setBackfill(namespace, flowId, triggerId, () => undefined);
  }

  /** Enables or disables one trigger (any kind); a disabled trigger keeps its state but never fires. */
  async setDisabled(namespace: string, flowId: string, triggerId: string, disabled: boolean): Promise<void> {
    const key = stateKey(namespace, flowId, triggerId);
    const state = this.#states.get(key);
    if (!this.#triggers.has(key) || !state) {
      throw new Error(
        `no trigger '${triggerId}' on flow ${namespace}/${flowId}; call syncFlows() after saving the flow`,
      );
    }
    state.disabled = disabled;
    const trigger = this.#triggers.get(key);
    if (!disabled && trigger?.schedule) {
      // Re-enabled: resume at the next date rather than replaying the disabled period.
      const next = trigger.schedule.next(this.#clock.now());
      if (next) state.nextDate = next.toISOString();
    }
    if (!disabled && state.flowCursor) {
      // Likewise a Flow trigger acts on what ends from now on, not on what ended while it was off.
      const now = this.#clock.now().getTime();
      state.flowCursor.after = new Date(Math.max(now, Date.parse(state.flowCursor.after))).toISOString();
    }
    state.updated = this.#clock.now().toISOString();
    await this.#repository.triggers.save(state);
  }

  async #setBackfill(
    namespace: string,
    flowId: string,
    triggerId: string,
    change: (backfill: BackfillState) => BackfillState | undefined,
  ): Promise<void> {
    const { state } = this.#scheduleTrigger(namespace, flowId, triggerId);
    const current = state.backfill as BackfillState | undefined;
    if (!current) throw new Error(`trigger ${triggerId} of ${namespace}/${flowId} has no backfill in progress`);
    const next = change(current);
    if (next) state.backfill = { ...next };
    else delete state.backfill;
    state.updated = this.#clock.now().toISOString();
    await this.#repository.triggers.save(state);
  }

  #scheduleTrigger(namespace: string, flowId: string, triggerId: string) {
    const key = stateKey(namespace, flowId, triggerId);
    const trigger = this.#triggers.get(key);
    const state = this.#states.get(key);
    if (!trigger?.schedule || !state) {
      throw new Error(
        `no Schedule trigger '${triggerId}' on flow ${namespace}/${flowId}; call syncFlows() after saving the flow`,
      );
    }
    return { trigger, state };
  }

  /** The state of every trigger, as persisted. */
  states(): SchedulerTriggerState[] {
    return [...this.#states.values()].map((s) => structuredClone(s));
  }

  /**
   * Runs in the background: wakes at the next due date (at least every `tickMs`) and re-reads
   * flows every `syncMs`, so flow edits take effect without a restart. Flow triggers first catch
   * up on executions that ended while no scheduler ran, then again after each re-read (executions
   * of other processes); `idle()` resolves once the first catch-up is done.
   */
  async start(options: { tickMs?: number; syncMs?: number; prepareMs?: number } = {}): Promise<void> {
    const tickMs = options.tickMs ?? 1000;
    const prepareMs = options.prepareMs ?? 400;
    const syncMs = options.syncMs ?? 10_000;
    this.#stopped = false;
    this.#closing = false;
    await this.syncFlows();
    const triggers = this.#flowTriggers.length;
    if (triggers > 0) {
      const since = this.#oldestFlowCursor();
      void this.catchUpFlowTriggers().then((count) =>
        this.#onLog(
          `Flow triggers: caught up ${count} execution(s) that ended since ${since} while no scheduler evaluated them (${triggers} Flow trigger(s))`,
        ),
      );
    }
    const loop = async () => {
      this.#timer = undefined;
      if (this.#stopped) return;
      this.#looping = true;
      try {
        if (this.#clock.now().getTime() - this.#lastSync >= syncMs) {
          await this.syncFlows();
          this.#catchUpInBackground();
        }
        await this.#run(prepareMs);
      } catch (error) {
        this.#onError((error as Error).message);
      }
      this.#looping = false;
      if (this.#stopped) return;
      this.#timer = setTimeout(loop, Math.max(0, this.#delayToNextDue(tickMs) - prepareMs));
    };
    this.#loop = loop;
    await loop();
  }

  #loop?: () => Promise<void>;
  #looping = false;

  /** Executions that other processes ended reach Flow triggers this way; one catch-up queued at a time. */
  #catchUpInBackground(): void {
    if (this.#catchUpQueued || this.#flowTriggers.length === 0) return;
    this.#catchUpQueued = true;
    void this.catchUpFlowTriggers().then((count) => {
      this.#catchUpQueued = false;
      if (count > 0) this.#onLog(`Flow triggers: caught up ${count} execution(s) ended outside this scheduler`);
    });
  }

  #oldestFlowCursor(): string {
    const now = this.#clock.now().getTime();
    const dates = this.#flowTriggers.flatMap((t) => this.#states.get(t.key)?.flowCursor?.after ?? []);
    const oldest = Math.min(now, ...dates.map((d) => Date.parse(d)).filter((d) => !Number.isNaN(d)));
    return new Date(Math.max(now - MAX_CATCH_UP_MS, oldest)).toISOString();
  }

  /** A running schedule execution ended: its trigger may be due again now. */
  #wake(): void {
    if (this.#stopped || this.#looping || !this.#loop) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(this.#loop, 0);
  }

  #delayToNextDue(tickMs: number): number {
    const now = this.#clock.now().getTime();
    let earliest = now + tickMs;
    for (const state of this.#states.values()) {
      if (state.runningExecutionId && !this.#ended.has(state.runningExecutionId)) continue;
      if (state.nextDate) earliest = Math.min(earliest, Date.parse(state.nextDate));
      if (state.pendingDate) earliest = Math.min(earliest, Date.parse(state.pendingDate));
      if (state.backfill && !(state.backfill as unknown as BackfillState).paused) return 0;
    }
    return Math.max(0, earliest - now);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#closing = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#sleeper?.();
    this.#unsubscribe?.();
    await this.#ticking;
    await this.#flowTriggerChain;
  }
}
