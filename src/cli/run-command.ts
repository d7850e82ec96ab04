import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputValidationError } from '../flow/inputs.ts';
import { loadFlows } from '../flow/load-flows.ts';
import type { Execution } from '../model/execution.ts';
import { isTerminal } from '../model/state.ts';
import { type GlobalOptions, openApp, parsePairs } from './app-context.ts';
import { formatViolation } from './flow-commands.ts';
import { executionSummary, logLine, printJson, stateText } from './terminal.ts';

interface RunOptions {
  input?: string[];
  flow?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerRunCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('run')
    .description('Run a flow file once: stream its logs and task states live, print its outputs')
    .argument('<file>', 'a YAML flow file')
    .option('-i, --input <name=value...>', 'an input value (for a FILE input, a local path)')
    .option('--flow <id>', 'which flow of a multi-document file to run (default: the first)')
    .option('--json', 'print the final execution as JSON')
    .option('-q, --quiet', 'do not stream logs')
    .addHelpText(
      'after',
      `
The flow and its execution are recorded in the data directory, so
'windhover executions list' shows it afterwards. The exit code is 0 when the
execution ends SUCCESS or WARNING, 1 otherwise.

Examples:
  windhover run examples/rag-ingest.yml
  windhover run examples/rag-ask.yml --input question="How do I re-index?"
  SECRET_GEMINI_API_KEY=$(printf %s "$KEY" | base64) windhover run flow.yml`,
    )
    .action(async (file: string, options: RunOptions) => {
      process.exitCode = await runFile(file, options, globals());
    });
}

async function runFile(file: string, options: RunOptions, globals: GlobalOptions): Promise<number> {
  const source = readFileSync(file, 'utf8');
  const app = await openApp(globals);
  try {
    const result = loadFlows(source, app.registry, { file });
    if (!result.ok) {
      console.error(`✗ ${file} is not a valid flow:`);
      for (const violation of result.violations) console.error(`  ${formatViolation({ ...violation, file })}`);
      return 1;
    }
    for (const parsed of result.flows) {
      await app.repository.flows.save({ namespace: parsed.spec.namespace, id: parsed.spec.id, source: parsed.source });
    }
    const chosen = options.flow ? result.flows.find((parsed) => parsed.spec.id === options.flow) : result.flows[0];
    if (!chosen) {
      console.error(`${file} has no flow with id '${options.flow}'`);
      return 1;
    }
    const { spec } = chosen;
    const raw = parsePairs(options.input, '--input');
    const files: Record<string, { filename: string; data: Uint8Array }> = {};
    for (const input of spec.inputs ?? []) {
      const value = raw[input.id];
      if (input.type === 'FILE' && value !== undefined) {
        files[input.id] = { filename: basename(value), data: readFileSync(resolve(value)) };
        delete raw[input.id];
      }
    }
    let executionId: string | undefined;
    const seen = new Map<string, string>();
    const unsubscribe = app.engine.subscribe((event) => {
      if (event.type === 'logs') {
        if (options.quiet) return;
        for (const entry of event.entries) if (entry.executionId === executionId) console.error(logLine(entry));
        return;
      }
      if (event.execution.id !== executionId || options.quiet) return;
      for (const taskRun of event.execution.taskRuns) {
        const label = `${taskRun.taskId}${taskRun.value === undefined ? '' : ` [${taskRun.value}]`}`;
        if (seen.get(taskRun.id) === taskRun.state.current) continue;
        seen.set(taskRun.id, taskRun.state.current);
        if (taskRun.state.current === 'CREATED') continue;
        console.error(`  ▸ ${label} ${stateText(taskRun.state.current)}`);
      }
    });
    let execution: Execution;
    try {
      execution = await app.engine.createExecution(spec.namespace, spec.id, { inputs: raw, files });
    } catch (error) {
      unsubscribe();
      if (error instanceof InputValidationError) {
        console.error(`✗ invalid inputs for ${spec.namespace}/${spec.id}:`);
        for (const violation of error.violations) console.error(`  ${violation.input}: ${violation.message}`);
        return 1;
      }
      throw error;
    }
    executionId = execution.id;
    console.error(`execution ${execution.id} of ${spec.namespace}/${spec.id} started`);
    const onSignal = () => {
      console.error('\ninterrupted: killing the execution (press Ctrl-C again to quit at once)');
      process.once('SIGINT', () => process.exit(130));
      void app.engine.kill(execution.id);
    };
    process.once('SIGINT', onSignal);
    const final = isTerminal(execution.state.current) ? execution : await app.engine.waitForTerminal(execution.id);
    process.removeListener('SIGINT', onSignal);
    unsubscribe();
    if (options.json) printJson(final);
    else {
      console.log(executionSummary(final));
      const outputs = Object.fromEntries(
        final.taskRuns.filter((taskRun) => taskRun.outputs).map((taskRun) => [taskRun.taskId, taskRun.outputs]),
      );
      if (Object.keys(outputs).length > 0) {
        console.log('outputs:');
        printJson(outputs);
      }
      if (final.outputs) {
        console.log('flow outputs:');
        printJson(final.outputs);
      }
    }
    return ['SUCCESS', 'WARNING'].includes(final.state.current) ? 0 : 1;
  } finally {
    await app.close();
  }
}
