import { randomUUID } from 'node:crypto';
import type { CreateExecutionOptions, EngineApi, EngineEvent } from '../../engine/engine-api.ts';
import { FlowNotFoundError } from '../../engine/engine-api.ts';
import type { FlowSpec } from '../../flow/flow-types.ts';
import { InputValidationError } from '../../flow/inputs.ts';
import type { Execution, LogEntry, TaskRun } from '../../model/execution.ts';
import { isTerminal, newState, transition } from '../../model/state.ts';
import type { PluginRegistry } from '../../plugin/plugin-registry.ts';
import type { Repository } from '../../repository/repository.ts';
import { specOf } from '../flow-response.ts';

/** The fake engine, plus a way to wait until every run it started has ended. */
export interface FakeEngine extends EngineApi {
  idle(): Promise<void>;
}

/**
 * A small EngineApi for server tests: runs each top-level task as one task run that logs a line
 * and succeeds (a `Fail` task fails), with `stepMs` between steps so live views can be watched.
 * A task whose type ends in ChatCompletion answers `question` with one cited source.
 */
export function fakeEngine(
  repository: Repository,
  registry: PluginRegistry,
  options: { stepMs?: number } = {},
): FakeEngine {
  const listeners = new Set<(event: EngineEvent) => void>();
  const emit = (event: EngineEvent) => {
    for (const listener of listeners) listener(event);
  };
  const killed = new Set<string>();
  const running = new Set<Promise<void>>();
  const step = () => new Promise((resolve) => setTimeout(resolve, options.stepMs ?? 0));
  const save = async (execution: Execution) => {
    await repository.executions.save(execution);
    emit({ type: 'execution', execution: structuredClone(execution) });
  };
  const log = async (execution: Execution, message: string, taskRun?: TaskRun, level: LogEntry['level'] = 'INFO') => {
    const entry: LogEntry = {
      namespace: execution.namespace,
      flowId: execution.flowId,
      executionId: execution.id,
      level,
      message,
      timestamp: new Date().toISOString(),
      ...(taskRun ? { taskId: taskRun.taskId, taskRunId: taskRun.id, attemptNumber: 1 } : {}),
    };
    await repository.logs.append([entry]);
    emit({ type: 'logs', entries: [entry] });
  };

  const run = async (execution: Execution, spec: FlowSpec) => {
    await step();
    execution.state = transition(execution.state, 'RUNNING');
    await save(execution);
    const outputs: Record<string, Record<string, unknown>> = {};
    let failed = false;
    for (const task of spec.tasks) {
      if (killed.has(execution.id)) break;
      const taskRun: TaskRun = {
        id: randomUUID(),
        executionId: execution.id,
        namespace: execution.namespace,
        flowId: execution.flowId,
        taskId: task.id,
        state: newState('RUNNING'),
        attempts: [{ state: newState('RUNNING') }],
      };
      execution.taskRuns.push(taskRun);
      await save(execution);
      await log(execution, `running ${task.id} (${task.type})`, taskRun);
      await step();
      const fails = task.type.endsWith('.Fail');
      const result: Record<string, unknown> = task.type.endsWith('ChatCompletion')
        ? {
            textOutput: `The answer to "${String(execution.inputs.question ?? '')}" is in the handbook.`,
            sources: [
              { content: 'Relevant passage', metadata: { title: 'Handbook', path: 'handbook.md' }, score: 0.92 },
            ],
          }
        : { value: typeof task.message === 'string' ? task.message : task.id };
      taskRun.outputs = result;
      outputs[task.id] = result;
      taskRun.state = transition(taskRun.state, fails ? 'FAILED' : 'SUCCESS');
      taskRun.attempts = [{ state: transition(taskRun.attempts[0]!.state, fails ? 'FAILED' : 'SUCCESS') }];
      await log(execution, fails ? `${task.id} failed` : `${task.id} done`, taskRun, fails ? 'ERROR' : 'INFO');
      await save(execution);
      if (fails) {
        failed = true;
        break;
      }
    }
    execution.outputs = Object.fromEntries(
      (spec.outputs ?? []).map((o) => [o.id, typeof o.value === 'string' ? lookup(o.value, outputs) : o.value]),
    );
    const end = killed.has(execution.id) ? 'KILLED' : failed ? 'FAILED' : 'SUCCESS';
    execution.state = transition(execution.state, end);
    await save(execution);
  };

  const engine: FakeEngine = {
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    async createExecution(namespace, flowId, options: CreateExecutionOptions = {}) {
      const record = await repository.flows.get(namespace, flowId, options.revision);
      const spec = record && specOf(record, registry);
      if (!record || !spec) throw new FlowNotFoundError(namespace, flowId, options.revision);
      const inputs: Record<string, unknown> = {};
      const violations: { input: string; message: string }[] = [];
      for (const input of spec.inputs ?? []) {
        const value = options.files?.[input.id]
          ? `kestra:///${namespace.replaceAll('.', '/')}/${flowId}/inputs/${options.files[input.id]?.filename}`
          : (options.inputs?.[input.id] ?? input.defaults);
        if (value === undefined || value === '') {
          if (input.required !== false) violations.push({ input: input.id, message: 'is required' });
          continue;
        }
        if (input.type === 'INT' && !/^-?\d+$/.test(String(value))) {
          violations.push({ input: input.id, message: `expected an integer, got '${String(value)}'` });
        }
        inputs[input.id] = input.type === 'INT' ? Number(value) : value;
      }
      if (violations.length > 0) throw new InputValidationError(violations);
      const execution: Execution = {
        id: randomUUID(),
        namespace,
        flowId,
        flowRevision: record.revision,
        state: newState('CREATED'),
        inputs,
        labels: options.labels ?? [],
        taskRuns: [],
        ...(options.trigger ? { trigger: options.trigger } : {}),
      };
      await save(execution);
      const done = run(structuredClone(execution), spec).finally(() => running.delete(done));
      running.add(done);
      return execution;
    },
    async waitForTerminal(id, signal) {
      for (;;) {
        const execution = await repository.executions.get(id);
        if (!execution) throw new Error(`execution ${id} not found`);
        if (isTerminal(execution.state.current)) return execution;
        if (signal?.aborted) throw new Error('aborted');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async kill(id) {
      killed.add(id);
      const execution = await repository.executions.get(id);
      if (!execution) throw new Error(`execution ${id} not found`);
      return execution;
    },
    async restart(id) {
      const execution = await repository.executions.get(id);
      if (!execution) throw new Error(`execution ${id} not found`);
      execution.state = transition(execution.state, 'RESTARTED');
      await save(execution);
      return execution;
    },
    async replay(id) {
      const execution = await repository.executions.get(id);
      if (!execution) throw new Error(`execution ${id} not found`);
      const replayed = await engine.createExecution(execution.namespace, execution.flowId, {
        inputs: execution.inputs,
      });
      return { ...replayed, originalId: id };
    },
    async resume(id) {
      const execution = await repository.executions.get(id);
      if (!execution) throw new Error(`execution ${id} not found`);
      return execution;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return engine;
}

/** `{{ outputs.task.key }}` lookups only: enough for the flows the tests run. */
function lookup(template: string, outputs: Record<string, Record<string, unknown>>): unknown {
  const match = /^\{\{\s*outputs\.([\w-]+)\.([\w-]+)\s*\}\}$/.exec(template.trim());
  return match ? outputs[match[1]!]?.[match[2]!] : template;
}
