import { Command } from 'commander';
import type { GlobalOptions } from './app-context.ts';
import { registerExecutionsCommands, registerKvCommands } from './executions-commands.ts';
import { registerFlowCommands } from './flow-commands.ts';
import { registerRunCommand } from './run-command.ts';
import { registerServerCommands } from './server-command.ts';
import { registerTriggersCommands } from './triggers-commands.ts';

const program = new Command()
  .name('windhover')
  .description('Run Kestra-style YAML flows — RAG pipelines first — on an embedded database, offline.')
  .option(
    '-d, --data-dir <dir>',
    'where the database, files and vector stores live (env WINDHOVER_DATA_DIR)',
    undefined,
  )
  .option('--database-url <url>', 'a postgres:// URL instead of the embedded database (env WINDHOVER_DATABASE_URL)')
  .option(
    '-s, --secret <NAME=value...>',
    'a secret for local use, in plain text (production: SECRET_<NAME> env, base64)',
  )
  .option('--secrets-file <file>', 'a file of NAME=value lines, for local use (env WINDHOVER_SECRETS_FILE)')
  .showHelpAfterError()
  .addHelpText(
    'after',
    `
Quick start:
  windhover run examples/rag-ingest.yml                     index the example documents
  windhover run examples/rag-ask.yml -i question="What is Windhover?"
  windhover server local --flow-path examples               UI and API on http://127.0.0.1:8080`,
  );

const globals = (): GlobalOptions => program.opts<GlobalOptions>();
registerFlowCommands(program, globals);
registerRunCommand(program, globals);
registerServerCommands(program, globals);
registerExecutionsCommands(program, globals);
registerKvCommands(program, globals);
registerTriggersCommands(program, globals);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
