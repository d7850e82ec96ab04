import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { flowJsonSchema } from '../flow/flow-json-schema.ts';
import type { FlowViolation } from '../flow/flow-violation.ts';
import { loadFlows } from '../flow/load-flows.ts';
import { createDefaultRegistry } from '../plugins.ts';
import { type GlobalOptions, openApp } from './app-context.ts';

export function formatViolation(violation: FlowViolation): string {
  const where = [violation.file, violation.line, violation.column].filter((part) => part !== undefined).join(':');
  return `${where ? `${where}: ` : ''}${violation.path ? `${violation.path}: ` : ''}${violation.message}`;
}

export function registerFlowCommands(program: Command, globals: () => GlobalOptions): void {
  const flow = program.command('flow').description('Validate flows, publish their JSON Schema, store them');

  flow
    .command('validate')
    .description('Validate flow files; every violation is listed with its file, line and column')
    .argument('<files...>', 'YAML flow files (several flows per file with ---)')
    .addHelpText('after', '\nExample:\n  windhover flow validate flows/*.yml')
    .action((files: string[]) => {
      const registry = createDefaultRegistry();
      let invalid = 0;
      for (const file of files) {
        let source: string;
        try {
          source = readFileSync(file, 'utf8');
        } catch (error) {
          console.error(`${file}: cannot read: ${(error as Error).message}`);
          invalid++;
          continue;
        }
        const result = loadFlows(source, registry, { file });
        if (result.ok) {
          for (const parsed of result.flows) console.log(`✓ ${file}: ${parsed.spec.namespace}/${parsed.spec.id}`);
        } else {
          invalid++;
          console.error(`✗ ${file}: ${result.violations.length} violation(s)`);
          for (const violation of result.violations) console.error(`  ${formatViolation({ ...violation, file })}`);
        }
      }
      process.exitCode = invalid > 0 ? 1 : 0;
    });

  flow
    .command('schema')
    .description('Print the JSON Schema of a flow (for the VS Code YAML extension and other editors)')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      '\nExample (VS Code settings.json):\n  "yaml.schemas": { "./flow.schema.json": "flows/*.yml" }\n  windhover flow schema -o flow.schema.json',
    )
    .action((options: { output?: string }) => {
      const text = JSON.stringify(flowJsonSchema(createDefaultRegistry()), null, 2);
      if (options.output) writeFileSync(options.output, `${text}\n`);
      else console.log(text);
    });

  flow
    .command('create')
    .description('Store flows in the data directory (a changed flow gets a new revision)')
    .argument('<files...>', 'YAML flow files')
    .action(async (files: string[]) => {
      const app = await openApp(globals());
      try {
        for (const file of files) {
          const result = loadFlows(readFileSync(file, 'utf8'), app.registry, { file });
          if (!result.ok) {
            for (const violation of result.violations) console.error(formatViolation({ ...violation, file }));
            process.exitCode = 1;
            continue;
          }
          for (const parsed of result.flows) {
            const record = await app.repository.flows.save({
              namespace: parsed.spec.namespace,
              id: parsed.spec.id,
              source: parsed.source,
            });
            console.log(`${record.namespace}/${record.id} revision ${record.revision}`);
          }
        }
      } finally {
        await app.close();
      }
    });

  flow
    .command('list')
    .description('List stored flows')
    .option('-n, --namespace <namespace>')
    .action(async (options: { namespace?: string }) => {
      const app = await openApp(globals());
      try {
        const page = await app.repository.flows.search({ ...options, size: 1000 });
        for (const record of page.results) console.log(`${record.namespace}/${record.id}  revision ${record.revision}`);
      } finally {
        await app.close();
      }
    });
}
