import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Scheduler } from '../scheduler/scheduler.ts';
import { startServer } from '../server/start-server.ts';
import { type GlobalOptions, openApp } from './app-context.ts';
import { FlowDirectory } from './flow-directory.ts';

interface ServerOptions {
  port: string;
  host: string;
  flowPath?: string;
}

export function registerServerCommands(program: Command, globals: () => GlobalOptions): void {
  const server = program.command('server').description('Run Windhover as a long-running server');
  server
    .command('local')
    .description('Executor, worker, scheduler, API and web UI in one process on the embedded database')
    .option('-p, --port <port>', 'HTTP port', process.env.WINDHOVER_PORT ?? '8080')
    .option('--host <host>', 'address to bind (another than 127.0.0.1 needs credentials)', '127.0.0.1')
    .option('-f, --flow-path <dir>', 'load the flows of this directory, and reload them when they change')
    .addHelpText(
      'after',
      `
Examples:
  windhover server local --flow-path examples
  WINDHOVER_BASIC_AUTH=admin:s3cret windhover server local --host 0.0.0.0 --port 8080`,
    )
    .action(async (options: ServerOptions) => {
      const app = await openApp(globals());
      let flows: FlowDirectory | undefined;
      if (options.flowPath) {
        flows = new FlowDirectory(resolve(options.flowPath), app.repository, app.registry);
        const count = await flows.load();
        console.error(`loaded ${count} flow(s) from ${options.flowPath}`);
        flows.watch();
      }
      await app.engine.start();
      const scheduler = new Scheduler({ repository: app.repository, engine: app.engine, registry: app.registry });
      await scheduler.start();
      const auth = parseAuth(process.env.WINDHOVER_BASIC_AUTH);
      const running = await startServer({
        repository: app.repository,
        engine: app.engine,
        registry: app.registry,
        dataDir: app.dataDir,
        host: options.host,
        port: Number(options.port),
        examplesDir: resolve(import.meta.dirname, '..', '..', 'examples'),
        scheduler,
        ...(auth ? { auth } : {}),
      });
      console.log(`Windhover is running: ${running.url}  (data: ${app.dataDir}; Ctrl-C stops)`);
      const stop = async () => {
        console.error('stopping…');
        flows?.close();
        await scheduler.stop();
        await running.close();
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}

function parseAuth(value: string | undefined): { username: string; password: string }[] | undefined {
  if (!value) return undefined;
  return value.split(',').map((pair) => {
    const at = pair.indexOf(':');
    if (at <= 0) throw new Error('WINDHOVER_BASIC_AUTH must look like user:password (comma-separated for several)');
    return { username: pair.slice(0, at), password: pair.slice(at + 1) };
  });
}
