/**
 * Scheduling latency: 1,000 flows with a `withSeconds` Schedule firing every second, on the
 * real SQLite repository and the system clock. Latency = when the scheduler asks the engine to
 * create the execution minus the date it was due. The engine here only records the call and
 * ends the execution at once, so the figure is the scheduler's own cost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateExecutionOptions, EngineApi, EngineEvent } from '../src/engine/engine-api.ts';
import type { Execution } from '../src/model/execution.ts';
import { newState, transition } from '../src/model/state.ts';
import { PluginRegistry } from '../src/plugin/plugin-registry.ts';
import { openRepository } from '../src/repository/open-repository.ts';
import { Scheduler } from '../src/scheduler/scheduler.ts';
import { coreTaskPlugins } from '../src/tasks/core/index.ts';
import { triggerPlugins } from '../src/tasks/trigger/index.ts';

const FLOWS = 1000;
const SECONDS = 8;

class RecordingEngine implements EngineApi {
  readonly latencies: number[] = [];
  readonly #listeners = new Set<(event: EngineEvent) => void>();
  #n = 0;
  async createExecution(namespace: string, flowId: string, options: CreateExecutionOptions = {}): Promise<Execution> {
    const now = Date.now();
    if (options.scheduleDate) this.latencies.push(now - Date.parse(options.scheduleDate));
    const running = transition(newState('CREATED'), 'RUNNING');
    const execution: Execution = {
      id: `e${++this.#n}`,
      namespace,
      flowId,
      flowRevision: 1,
      state: running,
      inputs: {},
      labels: [],
      taskRuns: [],
    };
    setImmediate(() => {
      const ended = { ...execution, state: transition(running, 'SUCCESS') };
      for (const listener of this.#listeners) listener({ type: 'execution', execution: ended });
    });
    return execution;
  }
  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  waitForTerminal(): Promise<Execution> {
    return Promise.reject(new Error('unused'));
  }
  kill = this.waitForTerminal;
  restart = this.waitForTerminal;
  replay = this.waitForTerminal;
  resume = this.waitForTerminal;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export default {
  title: 'Scheduler: latency from due date to execution creation',
  async run(): Promise<string> {
    const dataDir = mkdtempSync(join(tmpdir(), 'wh-bench-sched-'));
    const repository = await openRepository({ dataDir });
    try {
      const registry = new PluginRegistry().register(...coreTaskPlugins, ...triggerPlugins);
      for (let i = 0; i < FLOWS; i++) {
        await repository.flows.save({
          namespace: 'bench',
          id: `f${i}`,
          source: [
            `id: f${i}`,
            'namespace: bench',
            'triggers:',
            '  - id: every_second',
            '    type: io.kestra.plugin.core.trigger.Schedule',
            '    cron: "* * * * * *"',
            '    withSeconds: true',
            'tasks:',
            '  - id: log',
            '    type: io.kestra.plugin.core.log.Log',
            '    message: hi',
          ].join('\n'),
        });
      }
      const engine = new RecordingEngine();
      const scheduler = new Scheduler({ repository, engine, registry, onError: () => {} });
      await scheduler.start({ syncMs: 60_000 });
      // Skip the first second (start-up), then measure.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      engine.latencies.length = 0;
      await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
      await scheduler.stop();
      const sorted = [...engine.latencies].sort((a, b) => a - b);
      const p50 = percentile(sorted, 50);
      const p99 = percentile(sorted, 99);
      const perSecond = sorted.length / SECONDS;
      return [
        `${FLOWS.toLocaleString('en-US')} flows, each with \`cron: "* * * * * *"\` and \`withSeconds: true\`, for ${SECONDS} s on SQLite.`,
        '',
        '| figure | value | target |',
        '|---|---:|---|',
        `| executions created per second | ${Math.round(perSecond).toLocaleString('en-US')} | ${FLOWS.toLocaleString('en-US')} |`,
        `| latency p50 (due → created) | ${p50} ms | ≤ 20 ms — ${p50 <= 20 ? 'met' : 'NOT met'} |`,
        `| latency p99 | ${p99} ms | ≤ 100 ms — ${p99 <= 100 ? 'met' : 'NOT met'} |`,
        `| latency max | ${sorted.at(-1)} ms | |`,
      ].join('\n');
    } finally {
      await repository.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
