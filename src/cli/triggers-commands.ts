import type { Command } from 'commander';
import { loadFlows } from '../flow/load-flows.ts';
import { isTerminal } from '../model/state.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { type GlobalOptions, openApp } from './app-context.ts';
import { stateText } from './terminal.ts';

export function registerTriggersCommands(program: Command, globals: () => GlobalOptions): void {
  const triggers = program.command('triggers').description('Inspect the triggers of stored flows');
  triggers
    .command('list')
    .description('Every trigger of every stored flow: next fire time, last execution and its state')
    .option('-n, --namespace <namespace>')
    .action(async (options: { namespace?: string }) => {
      const app = await openApp(globals());
      try {
        const scheduler = new Scheduler({ repository: app.repository, engine: app.engine, registry: app.registry });
        await scheduler.syncFlows();
        const states = new Map(
          scheduler.states().map((state) => [`${state.namespace}/${state.flowId}/${state.triggerId}`, state]),
        );
        const flows = await app.repository.flows.search({ ...options, size: 10_000 });
        let count = 0;
        for (const record of flows.results) {
          const parsed = loadFlows(record.source, app.registry);
          if (!parsed.ok) continue;
          for (const trigger of parsed.flows[0]?.spec.triggers ?? []) {
            count++;
            const state = states.get(`${record.namespace}/${record.id}/${trigger.id}`);
            const last = state?.lastExecutionId
              ? await app.repository.executions.get(state.lastExecutionId)
              : undefined;
            console.log(
              [
                `${record.namespace}/${record.id}`,
                trigger.id,
                trigger.type.split('.').pop(),
                trigger.disabled || state?.disabled ? 'disabled' : 'enabled',
                `next ${state?.nextDate ?? '-'}`,
                `last ${state?.lastDate ?? '-'}`,
                last ? `${last.id} ${stateText(last.state.current)}` : '',
              ].join('  '),
            );
          }
        }
        if (count === 0) console.log('no triggers');
        await scheduler.stop();
      } finally {
        await app.close();
      }
    });

  const trigger = program.command('trigger').description('Act on one trigger');
  trigger
    .command('backfill')
    .description('Run a Schedule trigger for every date it missed between --start and --end, in order, and wait')
    .argument('<flow>', 'namespace/flowId')
    .requiredOption('-t, --trigger <id>', 'the Schedule trigger id')
    .requiredOption('--start <date>', 'ISO-8601 date, e.g. 2026-11-01T00:00:00Z')
    .option('--end <date>', 'ISO-8601 date (default: now)')
    .addHelpText(
      'after',
      '\nExample:\n  windhover trigger backfill company.ai/rag_ingestion_scheduled -t reindex_daily --start 2026-11-01T00:00:00Z',
    )
    .action(async (flow: string, options: { trigger: string; start: string; end?: string }) => {
      const [namespace, flowId] = flow.split('/');
      if (!namespace || !flowId) throw new Error(`'${flow}' must look like namespace/flowId`);
      const app = await openApp(globals());
      const scheduler = new Scheduler({ repository: app.repository, engine: app.engine, registry: app.registry });
      try {
        await scheduler.syncFlows();
        const backfill = await scheduler.backfill(namespace, flowId, options.trigger, {
          start: options.start,
          ...(options.end ? { end: options.end } : {}),
        });
        console.error(`backfill from ${backfill.start} to ${backfill.end}, first date ${backfill.currentDate}`);
        await scheduler.start();
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          const state = scheduler.states().find((s) => s.flowId === flowId && s.triggerId === options.trigger);
          const running = state?.runningExecutionId
            ? await app.engine.getExecution(state.runningExecutionId)
            : undefined;
          if (!state?.backfill && (!running || isTerminal(running.state.current))) break;
        }
        const executions = await app.repository.executions.search({ namespace, flowId, size: 1000 });
        const backfilled = executions.results.filter(
          (execution) => execution.trigger?.variables.backfill !== undefined,
        );
        for (const execution of backfilled.reverse()) {
          console.log(`${execution.scheduleDate ?? ''}  ${execution.id}  ${stateText(execution.state.current)}`);
        }
      } finally {
        await scheduler.stop();
        await app.close();
      }
    });
}
