import type { Command } from 'commander';
import type { LogLevel } from '../model/execution.ts';
import { STATES, type State } from '../model/state.ts';
import { type AppContext, type GlobalOptions, openApp } from './app-context.ts';
import { durationText, executionSummary, logLine, printJson, stateText } from './terminal.ts';

async function withApp<T>(globals: GlobalOptions, action: (app: AppContext) => Promise<T>): Promise<T> {
  const app = await openApp(globals);
  try {
    return await action(app);
  } finally {
    await app.close();
  }
}

export function registerExecutionsCommands(program: Command, globals: () => GlobalOptions): void {
  const executions = program.command('executions').description('Inspect and act on executions in the data directory');

  executions
    .command('list')
    .description('List executions, newest first')
    .option('-n, --namespace <namespace>')
    .option('-f, --flow <flowId>')
    .option('-s, --state <state...>', `filter by state (${STATES.join(', ')})`)
    .option('--size <n>', 'how many', '25')
    .action((options: { namespace?: string; flow?: string; state?: string[]; size: string }) =>
      withApp(globals(), async (app) => {
        const states = options.state?.map((state) => state.toUpperCase()) as State[] | undefined;
        for (const state of states ?? []) {
          if (!STATES.includes(state)) throw new Error(`unknown state '${state}'; known: ${STATES.join(', ')}`);
        }
        const page = await app.repository.executions.search({
          ...(options.namespace ? { namespace: options.namespace } : {}),
          ...(options.flow ? { flowId: options.flow } : {}),
          ...(states ? { states } : {}),
          size: Number(options.size),
        });
        for (const execution of page.results) {
          console.log(
            [
              execution.id,
              `${execution.namespace}/${execution.flowId}`,
              stateText(execution.state.current),
              execution.state.startDate,
              durationText(execution.state.startDate, execution.state.endDate),
            ].join('  '),
          );
        }
        console.log(`${page.results.length} of ${page.total}`);
      }),
    );

  executions
    .command('show')
    .description('Show an execution: task runs, attempts, states; --json for everything')
    .argument('<id>')
    .option('--json')
    .action((id: string, options: { json?: boolean }) =>
      withApp(globals(), async (app) => {
        const execution = await app.repository.executions.get(id);
        if (!execution) throw new Error(`execution ${id} does not exist`);
        if (options.json) printJson(execution);
        else {
          console.log(executionSummary(execution));
          if (execution.outputs) printJson({ outputs: execution.outputs });
        }
      }),
    );

  executions
    .command('logs')
    .description('Print the logs of an execution')
    .argument('<id>')
    .option('-l, --level <level>', 'minimum level (TRACE, DEBUG, INFO, WARN, ERROR)', 'TRACE')
    .action((id: string, options: { level: string }) =>
      withApp(globals(), async (app) => {
        let page = 1;
        for (;;) {
          const result = await app.repository.logs.find({
            executionId: id,
            minLevel: options.level.toUpperCase() as LogLevel,
            page,
            size: 1000,
          });
          for (const entry of result.results) console.log(logLine(entry));
          if (result.results.length < 1000) break;
          page++;
        }
      }),
    );

  for (const [name, description] of [
    ['kill', 'Kill a running execution (of a server running on this data directory, or left by a crash)'],
    ['restart', 'Restart a failed execution from its failed tasks, and wait for it'],
    ['resume', 'Resume a paused execution, and wait for it'],
    ['replay', 'Run a finished execution again as a new one (from a task run with --from)'],
  ] as const) {
    executions
      .command(name)
      .description(description)
      .argument('<id>')
      .option('--from <taskRunId>', 'replay: the task run to start from')
      .action((id: string, options: { from?: string }) =>
        withApp(globals(), async (app) => {
          let execution =
            name === 'kill'
              ? await app.engine.kill(id)
              : name === 'restart'
                ? await app.engine.restart(id)
                : name === 'resume'
                  ? await app.engine.resume(id)
                  : await app.engine.replay(id, options.from);
          if (name !== 'kill') execution = await app.engine.waitForTerminal(execution.id);
          console.log(executionSummary(execution));
        }),
      );
  }
}

export function registerKvCommands(program: Command, globals: () => GlobalOptions): void {
  const kv = program.command('kv').description('Read and write the namespaced key-value store');
  kv.command('get')
    .argument('<namespace>')
    .argument('<key>')
    .action((namespace: string, key: string) =>
      withApp(globals(), async (app) => {
        const entry = await app.repository.kv.get(namespace, key);
        if (!entry) {
          console.error(`no key '${key}' in namespace '${namespace}'`);
          process.exitCode = 1;
          return;
        }
        printJson(entry.value);
      }),
    );
  kv.command('set')
    .argument('<namespace>')
    .argument('<key>')
    .argument('<value>')
    .option('-t, --type <type>', 'STRING, NUMBER, BOOLEAN, DATETIME, DATE, DURATION or JSON', 'STRING')
    .option('--ttl <ms>', 'time to live in milliseconds')
    .option('-d, --description <text>')
    .action(
      (namespace: string, key: string, value: string, options: { type: string; ttl?: string; description?: string }) =>
        withApp(globals(), async (app) => {
          const type = options.type.toUpperCase();
          const typed =
            type === 'NUMBER'
              ? Number(value)
              : type === 'BOOLEAN'
                ? value === 'true'
                : type === 'JSON'
                  ? JSON.parse(value)
                  : value;
          await app.repository.kv.set({
            namespace,
            key,
            type: type as 'STRING',
            value: typed,
            ...(options.ttl ? { ttlMs: Number(options.ttl) } : {}),
            ...(options.description ? { description: options.description } : {}),
          });
          console.log(`${namespace}/${key} set`);
        }),
    );
  kv.command('list')
    .argument('<namespace>')
    .option('-p, --prefix <prefix>')
    .action((namespace: string, options: { prefix?: string }) =>
      withApp(globals(), async (app) => {
        for (const entry of await app.repository.kv.list(namespace, options.prefix ? { prefix: options.prefix } : {})) {
          console.log(`${entry.key}  ${entry.type}${entry.expirationDate ? `  expires ${entry.expirationDate}` : ''}`);
        }
      }),
    );
  kv.command('delete')
    .argument('<namespace>')
    .argument('<key>')
    .action((namespace: string, key: string) =>
      withApp(globals(), async (app) => {
        console.log((await app.repository.kv.delete(namespace, key)) ? 'deleted' : 'no such key');
      }),
    );
}
