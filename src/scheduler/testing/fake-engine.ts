import { withCorrelationId } from '../../engine/correlation-id.ts';
import type { CreateExecutionOptions, EngineApi, EngineEvent } from '../../engine/engine-api.ts';
import type { Execution } from '../../model/execution.ts';
import type { State } from '../../model/state.ts';
import { newState, transition } from '../../model/state.ts';
import type { Repository } from '../../repository/repository.ts';
import type { Clock } from '../clock.ts';

/** An EngineApi that records executions in the repository and ends them when a test says so. */
export class FakeEngine implements EngineApi {
  readonly created: Execution[] = [];
  readonly #listeners = new Set<(event: EngineEvent) => void>();
  #counter = 0;
  /** Set to make the next createExecution fail with this message. */
  failNext?: string;

  constructor(
    private readonly repository: Repository,
    private readonly clock: Clock,
  ) {}

  async createExecution(namespace: string, flowId: string, options: CreateExecutionOptions = {}): Promise<Execution> {
    if (this.failNext) {
      const message = this.failNext;
      delete this.failNext;
      throw new Error(message);
    }
    const id = `exec-${++this.#counter}-${flowId}`;
    const execution: Execution = {
      id,
      namespace,
      flowId,
      flowRevision: 1,
      state: transition(newState('CREATED', this.clock.now()), 'RUNNING', this.clock.now()),
      inputs: options.inputs ?? {},
      // Labelled like the engine does: the given correlation id (a Flow trigger's upstream one), else its own.
      labels: withCorrelationId(options.labels ?? [], options.correlationId ?? id),
      taskRuns: [],
      ...(options.trigger ? { trigger: options.trigger } : {}),
      ...(options.scheduleDate ? { scheduleDate: options.scheduleDate } : {}),
    };
    await this.repository.executions.save(execution);
    this.created.push(execution);
    return execution;
  }

  /** Ends an execution and tells subscribers, as the engine does. */
  async finish(id: string, state: State = 'SUCCESS', outputs?: Record<string, unknown>): Promise<Execution> {
    const execution = await this.repository.executions.get(id);
    if (!execution) throw new Error(`no execution ${id}`);
    execution.state = transition(execution.state, state, this.clock.now());
    if (outputs) execution.outputs = outputs;
    await this.repository.executions.save(execution);
    for (const listener of this.#listeners) listener({ type: 'execution', execution });
    return execution;
  }

  async finishAll(state: State = 'SUCCESS'): Promise<void> {
    for (const execution of this.created) {
      const stored = await this.repository.executions.get(execution.id);
      if (stored && stored.state.current === 'RUNNING') await this.finish(execution.id, state);
    }
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  waitForTerminal(): Promise<Execution> {
    return Promise.reject(new Error('not used by the scheduler'));
  }
  kill(): Promise<Execution> {
    return Promise.reject(new Error('not used by the scheduler'));
  }
  restart(): Promise<Execution> {
    return Promise.reject(new Error('not used by the scheduler'));
  }
  replay(): Promise<Execution> {
    return Promise.reject(new Error('not used by the scheduler'));
  }
  resume(): Promise<Execution> {
    return Promise.reject(new Error('not used by the scheduler'));
  }
}
