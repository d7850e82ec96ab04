/**
 * Repository throughput on the engine's hot path: execution saves (single and batched, as the
 * engine's write-behind flush does) and log appends, on SQLite, against raw better-sqlite3
 * prepared statements as the floor; on PostgreSQL too when WINDHOVER_TEST_POSTGRES_URL is set.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { LogEntry } from '../src/model/execution.ts';
import { openRepository } from '../src/repository/open-repository.ts';
import { sampleExecution } from '../src/repository/repository.conformance.ts';
import type { Repository } from '../src/repository/repository.ts';

const SAVES = 3000;
const LOGS = 20_000;

async function rate(count: number, body: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await body();
  return count / ((performance.now() - started) / 1000);
}

function logEntry(i: number): LogEntry {
  return {
    namespace: 'bench',
    flowId: 'two_tasks',
    executionId: `e${i % 100}`,
    taskId: 'log',
    taskRunId: `tr${i % 200}`,
    level: 'INFO',
    message: `message number ${i} from the benchmark`,
    timestamp: new Date().toISOString(),
  };
}

async function measure(repository: Repository): Promise<Record<string, number>> {
  const executions = Array.from({ length: SAVES }, (_, i) => sampleExecution(`bench-${i}`, { namespace: 'bench' }));
  const single = await rate(SAVES, async () => {
    for (const execution of executions) await repository.executions.save(execution);
  });
  const batched = await rate(SAVES, async () => {
    for (let i = 0; i < SAVES; i += 20) await repository.executions.saveAll(executions.slice(i, i + 20));
  });
  const logs = await rate(LOGS, async () => {
    for (let i = 0; i < LOGS; i += 10)
      await repository.logs.append(Array.from({ length: 10 }, (_, j) => logEntry(i + j)));
  });
  return { single, batched, logs };
}

function rawSqlite(dataDir: string): Record<string, number> {
  const db = new Database(join(dataDir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'create table executions (id text primary key, namespace text, flow_id text, state text, start_date text, end_date text, labels text, data text)',
  );
  const upsert = db.prepare(
    'insert into executions values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do update set state = excluded.state, data = excluded.data',
  );
  const executions = Array.from({ length: SAVES }, (_, i) => sampleExecution(`raw-${i}`, { namespace: 'bench' }));
  const started = performance.now();
  for (const e of executions) {
    upsert.run(e.id, e.namespace, e.flowId, e.state.current, e.state.startDate, null, '', JSON.stringify(e));
  }
  const single = SAVES / ((performance.now() - started) / 1000);
  db.close();
  return { single };
}

const fmt = (n: number | undefined) => (n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));

export default {
  title: 'Repository: execution saves and log appends',
  async run(): Promise<string> {
    const dataDir = mkdtempSync(join(tmpdir(), 'wh-bench-repo-'));
    const rows: string[] = [];
    try {
      const sqlite = await openRepository({ dataDir });
      const ours = await measure(sqlite);
      await sqlite.close();
      const raw = rawSqlite(dataDir);
      rows.push(
        `| SQLite (Windhover) | ${fmt(ours.single)} | ${fmt(ours.batched)} | ${fmt(ours.logs)} |`,
        `| SQLite raw better-sqlite3 prepared upsert (floor) | ${fmt(raw.single)} | — | — |`,
      );
      const ratio = (ours.single ?? 0) / (raw.single ?? 1);
      const url = process.env.WINDHOVER_TEST_POSTGRES_URL;
      let pgNote = 'PostgreSQL: not measured (set WINDHOVER_TEST_POSTGRES_URL).';
      if (url) {
        const schema = `wh_bench_${randomBytes(4).toString('hex')}`;
        const repository = await openRepository({ url, dataDir, schema });
        const figures = await measure(repository);
        await repository.close();
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`drop schema "${schema}" cascade`);
        await client.end();
        rows.push(
          `| PostgreSQL 15 local (Windhover) | ${fmt(figures.single)} | ${fmt(figures.batched)} | ${fmt(figures.logs)} |`,
        );
        pgNote = 'PostgreSQL measured on a local server over TCP (fsync on).';
      }
      const target = 1500;
      return [
        `${SAVES.toLocaleString('en-US')} executions (a 2-task execution, ~1 KB of JSON), ${LOGS.toLocaleString('en-US')} log entries in batches of 10.`,
        '',
        '| backend | saves/s (one by one) | saves/s (saveAll, 20 per batch) | log entries/s |',
        '|---|---:|---:|---:|',
        ...rows,
        '',
        `Target: ≥ ${target.toLocaleString('en-US')} saves/s on SQLite (200 executions/s of a 2-task flow) — ` +
          `${(ours.single ?? 0) >= target ? 'met' : 'NOT met'} one by one (${fmt(ours.single)}/s), ` +
          `${(ours.batched ?? 0) >= target ? 'met' : 'NOT met'} batched. ` +
          `Query-layer overhead: ${(ratio * 100).toFixed(0)}% of raw prepared-statement speed. ${pgNote}`,
      ].join('\n');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
