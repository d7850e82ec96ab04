/**
 * Runs the benchmarks and writes their figures to BENCHMARKS.md.
 *
 *   npm run bench                 # every bench/*.bench.ts
 *   npm run bench -- vector       # only files whose name contains "vector"
 *
 * Each bench file default-exports `{ title, run }`; `run` returns a markdown section
 * (tables with the figures, the peers measured in the same run, and ratios).
 * Sections of benches not run this time are kept from the previous BENCHMARKS.md.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, join } from 'node:path';

export interface Bench {
  title: string;
  run(): Promise<string>;
}

const dir = import.meta.dirname;
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((part) => file.includes(part)))
  .sort();

const outputPath = join(dir, '..', 'BENCHMARKS.md');
const sections = new Map<string, string>();

for (const file of files) {
  const name = basename(file, '.bench.ts');
  const module = (await import(join(dir, file))) as { default: Bench };
  console.log(`\n# ${module.default.title}  (${file})`);
  const started = Date.now();
  const body = await module.default.run();
  const command = `npm run bench -- ${name}`;
  sections.set(
    name,
    `## ${module.default.title}\n\nCommand: \`${command}\` — ${new Date().toISOString().slice(0, 10)}, ` +
      `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s.\n\n${body.trim()}\n\n`,
  );
  console.log(body);
}

// Read the other sections only now, so a bench that ran meanwhile in another process keeps its figures.
const previous = existsSync(outputPath) ? readFileSync(outputPath, 'utf8') : '';
for (const match of previous.matchAll(/<!-- bench:(\S+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g)) {
  const name = match[1] ?? '';
  if (!sections.has(name)) sections.set(name, match[2] ?? '');
}

const header =
  '# Benchmarks\n\nFigures written by `npm run bench` (see bench/). Machines are shared and noisy: ' +
  'compare peers measured in the same run, as ratios.\n\n';
const text = [...sections.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([name, body]) => `<!-- bench:${name} -->\n${body}<!-- /bench:${name} -->\n`)
  .join('\n');
writeFileSync(outputPath, header + text);
console.log(`\nwrote ${outputPath}`);
