import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Execution, LogEntry, LogLevel } from '../model/execution.ts';
import type { State } from '../model/state.ts';
import { newState, transition } from '../model/state.ts';
import type { Repository } from './repository.ts';
import { KvKeyExistsError } from './repository.ts';

/** Fresh, isolated storage for one suite run, and a way to open more handles on it. */
export interface RepositoryFactory {
  /** Opens another repository on the same storage (a second process, or after a restart). */
  open(): Promise<Repository>;
  /** Removes the storage once every handle is closed. */
  cleanup?(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An execution started at `start` in the given state. */
export function sampleExecution(
  id: string,
  options: {
    namespace?: string;
    flowId?: string;
    state?: State;
    start?: string;
    labels?: { key: string; value: string }[];
  } = {},
): Execution {
  const start = new Date(options.start ?? '2026-01-01T00:00:00.000Z');
  let state = newState('CREATED', start);
  if (options.state && options.state !== 'CREATED')
    state = transition(state, options.state, new Date(start.getTime() + 1000));
  return {
    id,
    namespace: options.namespace ?? 'company.team',
    flowId: options.flowId ?? 'hello',
    flowRevision: 1,
    state,
    inputs: { name: 'Ada', nested: { list: [1, 2, 3] } },
    labels: options.labels ?? [],
    taskRuns: [
      {
        id: `${id}-t1`,
        executionId: id,
        namespace: options.namespace ?? 'company.team',
        flowId: options.flowId ?? 'hello',
        taskId: 'first',
        state,
        attempts: [{ state }],
        outputs: { value: 'ünïcödé ✓' },
      },
    ],
  };
}

function log(executionId: string, message: string, level: LogLevel = 'INFO', extra: Partial<LogEntry> = {}): LogEntry {
  return {
    namespace: 'company.team',
    flowId: 'hello',
    executionId,
    level,
    message,
    timestamp: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

/**
 * The behaviour every Repository implementation must have. Run it from a dialect's test file
 * with a factory that gives it fresh storage.
 */
export function repositoryConformance(name: string, createFactory: () => Promise<RepositoryFactory>): void {
  describe(`${name} repository`, () => {
    let factory: RepositoryFactory;
    let repo: Repository;
    before(async () => {
      factory = await createFactory();
      repo = await factory.open();
    });
    after(async () => {
      await repo.close();
      await factory.cleanup?.();
    });

    describe('flows', () => {
      test('a changed source is a new revision, an unchanged one is not', async () => {
        const first = await repo.flows.save({ namespace: 'f.rev', id: 'a', source: 'id: a\n' });
        const same = await repo.flows.save({ namespace: 'f.rev', id: 'a', source: 'id: a\n' });
        const second = await repo.flows.save({ namespace: 'f.rev', id: 'a', source: 'id: a\n# changed\n' });
        assert.equal(first.revision, 1);
        assert.equal(same.revision, 1);
        assert.equal(second.revision, 2);
        assert.equal((await repo.flows.get('f.rev', 'a'))?.source, 'id: a\n# changed\n');
        assert.equal((await repo.flows.get('f.rev', 'a', 1))?.source, 'id: a\n');
        assert.deepEqual(
          (await repo.flows.revisions('f.rev', 'a')).map((r) => r.revision),
          [1, 2],
        );
      });

      test('deleting hides the flow but keeps its revisions; saving again continues the numbering', async () => {
        await repo.flows.save({ namespace: 'f.del', id: 'a', source: 'v1' });
        assert.equal(await repo.flows.delete('f.del', 'a'), true);
        assert.equal(await repo.flows.delete('f.del', 'a'), false);
        assert.equal(await repo.flows.delete('f.del', 'missing'), false);
        assert.equal(await repo.flows.get('f.del', 'a'), undefined);
        assert.equal((await repo.flows.search({ namespace: 'f.del' })).total, 0);
        assert.equal((await repo.flows.get('f.del', 'a', 1))?.source, 'v1');
        const again = await repo.flows.save({ namespace: 'f.del', id: 'a', source: 'v1' });
        assert.equal(again.revision, 3);
        assert.equal(again.deleted, false);
        assert.equal((await repo.flows.get('f.del', 'a'))?.revision, 3);
      });

      test('disabling keeps the revision', async () => {
        await repo.flows.save({ namespace: 'f.dis', id: 'a', source: 's' });
        const disabled = await repo.flows.save({ namespace: 'f.dis', id: 'a', source: 's', disabled: true });
        assert.equal(disabled.revision, 1);
        assert.equal(disabled.disabled, true);
        assert.equal((await repo.flows.get('f.dis', 'a'))?.disabled, true);
      });

      test('search matches a namespace and its children, a query, and pages', async () => {
        for (const id of ['x1', 'x2', 'x3']) await repo.flows.save({ namespace: 'f.search', id, source: id });
        await repo.flows.save({ namespace: 'f.search.child', id: 'y', source: 'y' });
        await repo.flows.save({ namespace: 'f.searchother', id: 'z', source: 'z' });
        const all = await repo.flows.search({ namespace: 'f.search' });
        assert.deepEqual(
          all.results.map((f) => `${f.namespace}/${f.id}`),
          ['f.search/x1', 'f.search/x2', 'f.search/x3', 'f.search.child/y'],
        );
        const page2 = await repo.flows.search({ namespace: 'f.search', page: 2, size: 3 });
        assert.equal(page2.total, 4);
        assert.deepEqual(
          page2.results.map((f) => f.id),
          ['y'],
        );
        assert.deepEqual(
          (await repo.flows.search({ namespace: 'f.search', query: 'X2' })).results.map((f) => f.id),
          ['x2'],
        );
        assert.equal((await repo.flows.search({ query: '%' })).total, 0, 'LIKE wildcards match literally');
      });
    });

    describe('executions', () => {
      test('an execution reads back exactly as saved, and saving again replaces it', async () => {
        const execution = sampleExecution('ex-roundtrip');
        await repo.executions.save(execution);
        assert.deepEqual(await repo.executions.get('ex-roundtrip'), execution);
        const done = { ...execution, state: transition(execution.state, 'SUCCESS') };
        await repo.executions.save(done);
        assert.deepEqual(await repo.executions.get('ex-roundtrip'), done);
        assert.equal(await repo.executions.get('missing'), undefined);
      });

      test('search filters by namespace, flow, states, start dates and labels, newest first', async () => {
        const ns = 'ex.search';
        await repo.executions.saveAll([
          sampleExecution('s1', { namespace: ns, flowId: 'a', state: 'SUCCESS', start: '2026-02-01T00:00:00.000Z' }),
          sampleExecution('s2', {
            namespace: ns,
            flowId: 'a',
            state: 'FAILED',
            start: '2026-02-02T00:00:00.000Z',
            labels: [{ key: 'team', value: 'a|b=c' }],
          }),
          sampleExecution('s3', {
            namespace: ns,
            flowId: 'b',
            state: 'RUNNING',
            start: '2026-02-03T00:00:00.000Z',
            labels: [
              { key: 'team', value: 'rag' },
              { key: 'env', value: 'prod' },
            ],
          }),
        ]);
        const ids = async (filter: Parameters<Repository['executions']['search']>[0]) =>
          (await repo.executions.search({ namespace: ns, ...filter })).results.map((e) => e.id);
        assert.deepEqual(await ids({}), ['s3', 's2', 's1']);
        assert.deepEqual(await ids({ flowId: 'a' }), ['s2', 's1']);
        assert.deepEqual(await ids({ states: ['SUCCESS', 'RUNNING'] }), ['s3', 's1']);
        assert.deepEqual(await ids({ states: [] }), []);
        assert.deepEqual(await ids({ startDate: '2026-02-02T00:00:00.000Z' }), ['s3', 's2']);
        assert.deepEqual(await ids({ endDate: '2026-02-02T00:00:00.000Z' }), ['s2', 's1']);
        assert.deepEqual(await ids({ labels: [{ key: 'team', value: 'rag' }] }), ['s3']);
        assert.deepEqual(await ids({ labels: [{ key: 'team', value: 'a|b=c' }] }), ['s2']);
        assert.deepEqual(await ids({ labels: [{ key: 'team', value: 'a' }] }), []);
        assert.deepEqual(
          await ids({
            labels: [
              { key: 'team', value: 'rag' },
              { key: 'env', value: 'dev' },
            ],
          }),
          [],
        );
        const page = await repo.executions.search({ namespace: ns, page: 2, size: 2 });
        assert.equal(page.total, 3);
        assert.deepEqual(
          page.results.map((e) => e.id),
          ['s1'],
        );
      });

      test('findUnfinished returns the non-terminal executions, oldest first; delete removes', async () => {
        await repo.executions.saveAll([
          sampleExecution('u2', { namespace: 'ex.unf', state: 'RUNNING', start: '2025-01-02T00:00:00.000Z' }),
          sampleExecution('u1', { namespace: 'ex.unf', state: 'CREATED', start: '2025-01-01T00:00:00.000Z' }),
          sampleExecution('u3', { namespace: 'ex.unf', state: 'KILLED', start: '2025-01-03T00:00:00.000Z' }),
        ]);
        const unfinished = (await repo.executions.findUnfinished()).filter((e) => e.namespace === 'ex.unf');
        assert.deepEqual(
          unfinished.map((e) => e.id),
          ['u1', 'u2'],
        );
        assert.equal(await repo.executions.delete('u1'), true);
        assert.equal(await repo.executions.delete('u1'), false);
        assert.equal(await repo.executions.get('u1'), undefined);
      });
    });

    describe('logs', () => {
      test('appended batches get increasing sequences and read back oldest first', async () => {
        const entries = Array.from({ length: 1001 }, (_, i) => log('log-seq', `line ${i}`));
        await repo.logs.append(entries.slice(0, 3));
        await repo.logs.append(entries.slice(3));
        const page = await repo.logs.find({ executionId: 'log-seq', size: 2000 });
        assert.equal(page.total, 1001);
        assert.deepEqual(
          page.results.map((e) => e.message),
          entries.map((e) => e.message),
        );
        for (let i = 1; i < page.results.length; i++) {
          assert.ok((page.results[i]?.sequence ?? 0) > (page.results[i - 1]?.sequence ?? 0));
        }
        const last = page.results[999]?.sequence ?? 0;
        const following = await repo.logs.find({ executionId: 'log-seq', afterSequence: last });
        assert.deepEqual(
          following.results.map((e) => e.message),
          ['line 1000'],
        );
        const second = await repo.logs.find({ executionId: 'log-seq', page: 2, size: 500 });
        assert.equal(second.results[0]?.message, 'line 500');
      });

      test('filters by level rank, task run and message substring; optional fields round-trip', async () => {
        await repo.logs.append([
          log('log-f', 'debug detail', 'DEBUG', { taskRunId: 'tr1', taskId: 'a', attemptNumber: 1 }),
          log('log-f', 'Progress 50% done', 'INFO', { taskRunId: 'tr1', taskId: 'a' }),
          log('log-f', 'careful', 'WARN', { taskRunId: 'tr2', taskId: 'b' }),
          log('log-f', 'broken', 'ERROR', { triggerId: 'sched' }),
        ]);
        const messages = async (filter: Parameters<Repository['logs']['find']>[0]) =>
          (await repo.logs.find({ executionId: 'log-f', ...filter })).results.map((e) => e.message);
        assert.deepEqual(await messages({ minLevel: 'WARN' }), ['careful', 'broken']);
        assert.deepEqual(await messages({ minLevel: 'TRACE' }), [
          'debug detail',
          'Progress 50% done',
          'careful',
          'broken',
        ]);
        assert.deepEqual(await messages({ taskRunId: 'tr1' }), ['debug detail', 'Progress 50% done']);
        assert.deepEqual(await messages({ query: 'progress 50%' }), ['Progress 50% done']);
        assert.deepEqual(await messages({ query: '_' }), []);
        const [first] = (await repo.logs.find({ executionId: 'log-f', size: 1 })).results;
        assert.equal(first?.taskId, 'a');
        assert.equal(first?.attemptNumber, 1);
        assert.equal(first?.triggerId, undefined);
        assert.equal(await repo.logs.deleteByExecution('log-f'), 4);
        assert.equal((await repo.logs.find({ executionId: 'log-f' })).total, 0);
      });

      test('an unknown level is refused with the execution named', async () => {
        await assert.rejects(
          repo.logs.append([log('log-bad', 'x', 'LOUD' as LogLevel)]),
          /log-bad.*unknown level 'LOUD'/,
        );
      });
    });

    describe('kv', () => {
      test('typed values round-trip with description and dates', async () => {
        const values: [Parameters<Repository['kv']['set']>[0]['type'], unknown][] = [
          ['STRING', 'text'],
          ['NUMBER', 42.5],
          ['BOOLEAN', false],
          ['DATETIME', '2026-01-01T10:00:00Z'],
          ['DATE', '2026-01-01'],
          ['DURATION', 'PT5M'],
          ['JSON', { a: [1, { b: null }] }],
        ];
        for (const [type, value] of values) {
          const stored = await repo.kv.set({ namespace: 'kv.types', key: type, type, value, description: `a ${type}` });
          assert.equal(stored.type, type);
          const read = await repo.kv.get('kv.types', type);
          assert.deepEqual(read?.value, value);
          assert.equal(read?.description, `a ${type}`);
          assert.equal(read?.expirationDate, undefined);
          assert.ok(read && !Number.isNaN(Date.parse(read.creationDate)));
        }
      });

      test('overwrite false refuses a live key; an update keeps the creation date', async () => {
        const first = await repo.kv.set({ namespace: 'kv.ow', key: 'k', type: 'STRING', value: 'one' });
        await assert.rejects(
          repo.kv.set({ namespace: 'kv.ow', key: 'k', type: 'STRING', value: 'two', overwrite: false }),
          KvKeyExistsError,
        );
        assert.equal((await repo.kv.get('kv.ow', 'k'))?.value, 'one');
        await sleep(5);
        const updated = await repo.kv.set({ namespace: 'kv.ow', key: 'k', type: 'NUMBER', value: 2 });
        assert.equal(updated.creationDate, first.creationDate);
        assert.ok(updated.updateDate > first.updateDate);
        assert.equal(updated.value, 2);
      });

      test('an expired key is invisible, replaceable with overwrite false, and purged', async () => {
        const entry = await repo.kv.set({ namespace: 'kv.ttl', key: 'short', type: 'STRING', value: 'x', ttlMs: 1 });
        assert.ok(entry.expirationDate);
        await repo.kv.set({ namespace: 'kv.ttl', key: 'short2', type: 'STRING', value: 'x', ttlMs: 1 });
        await repo.kv.set({ namespace: 'kv.ttl', key: 'long', type: 'STRING', value: 'y', ttlMs: 3_600_000 });
        await repo.kv.set({ namespace: 'kv.ttlonly', key: 'gone', type: 'STRING', value: 'y', ttlMs: 1 });
        await sleep(20);
        assert.equal(await repo.kv.get('kv.ttl', 'short'), undefined);
        assert.deepEqual(
          (await repo.kv.list('kv.ttl')).map((e) => e.key),
          ['long'],
        );
        assert.ok(!(await repo.kv.namespaces()).includes('kv.ttlonly'));
        const replaced = await repo.kv.set({
          namespace: 'kv.ttl',
          key: 'short2',
          type: 'STRING',
          value: 'new',
          overwrite: false,
        });
        assert.equal(replaced.value, 'new');
        assert.equal(replaced.expirationDate, undefined);
        assert.equal(await repo.kv.purgeExpired(), 1, 'only kv.ttlonly/gone is still stored and expired');
        assert.equal(await repo.kv.purgeExpired(), 0);
      });

      test('list by prefix (wildcards literal), namespaces, delete', async () => {
        for (const key of ['a_1', 'ab', 'b'])
          await repo.kv.set({ namespace: 'kv.list', key, type: 'STRING', value: key });
        assert.deepEqual(
          (await repo.kv.list('kv.list', { prefix: 'a_' })).map((e) => e.key),
          ['a_1'],
        );
        assert.deepEqual(
          (await repo.kv.list('kv.list')).map((e) => e.key),
          ['a_1', 'ab', 'b'],
        );
        assert.ok((await repo.kv.namespaces()).includes('kv.list'));
        assert.equal(await repo.kv.delete('kv.list', 'ab'), true);
        assert.equal(await repo.kv.delete('kv.list', 'ab'), false);
      });

      test('bad values are refused with the key named', async () => {
        await assert.rejects(
          repo.kv.set({ namespace: 'kv.bad', key: 'u', type: 'STRING', value: undefined }),
          /'u'.*undefined/,
        );
        await assert.rejects(
          repo.kv.set({ namespace: 'kv.bad', key: 't', type: 'STRING', value: 'x', ttlMs: -5 }),
          /ttl must be a positive duration/,
        );
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        await assert.rejects(
          repo.kv.set({ namespace: 'kv.bad', key: 'c', type: 'JSON', value: cyclic }),
          /cannot be stored as JSON/,
        );
      });
    });

    describe('triggers', () => {
      test('state is saved, replaced, listed and deleted per flow or trigger', async () => {
        const state = {
          namespace: 'tr',
          flowId: 'f',
          triggerId: 'daily',
          disabled: false,
          nextDate: '2026-01-02T00:00:00.000Z',
          updated: '2026-01-01T00:00:00.000Z',
        };
        await repo.triggers.save(state);
        await repo.triggers.saveAll([
          { ...state, triggerId: 'hourly' },
          { ...state, triggerId: 'weekly', flowId: 'other' },
        ]);
        assert.equal((await repo.triggers.list({ namespace: 'tr' })).length, 3);
        assert.equal(await repo.triggers.delete('tr', 'other'), 1);
        await repo.triggers.save({ ...state, lastDate: '2026-01-01T00:00:00.000Z', backfill: { paused: true } });
        assert.deepEqual(await repo.triggers.get('tr', 'f', 'daily'), {
          ...state,
          lastDate: '2026-01-01T00:00:00.000Z',
          backfill: { paused: true },
        });
        assert.deepEqual(
          (await repo.triggers.list({ namespace: 'tr', flowId: 'f' })).map((t) => t.triggerId),
          ['daily', 'hourly'],
        );
        assert.equal(await repo.triggers.delete('tr', 'f', 'hourly'), 1);
        assert.equal(await repo.triggers.delete('tr', 'f'), 1);
        assert.equal(await repo.triggers.get('tr', 'f', 'daily'), undefined);
      });
    });

    describe('queue', () => {
      test('items are claimed oldest first, once, until released or completed', async () => {
        const a = await repo.queue.enqueue('q.basic', { n: 1 });
        const b = await repo.queue.enqueue('q.basic', { n: 2 });
        await repo.queue.enqueue('q.basic', { n: 3 }, { availableAt: new Date(Date.now() + 3_600_000) });
        const claimed = await repo.queue.claim('q.basic', 'w1', 10, 60_000);
        assert.deepEqual(
          claimed.map((i) => i.payload),
          [{ n: 1 }, { n: 2 }],
        );
        assert.equal(claimed[0]?.claimedBy, 'w1');
        assert.equal(claimed[0]?.attempts, 1);
        assert.deepEqual(await repo.queue.claim('q.basic', 'w2', 10, 60_000), []);
        assert.equal(await repo.queue.release(a.id), true);
        const again = await repo.queue.claim('q.basic', 'w2', 10, 60_000);
        assert.deepEqual(
          again.map((i) => [i.id, i.attempts]),
          [[a.id, 2]],
        );
        assert.equal(await repo.queue.complete(b.id), true);
        assert.equal(await repo.queue.complete(b.id), false);
        assert.equal(await repo.queue.size('q.basic'), 2);
      });

      test('a key deduplicates waiting items', async () => {
        const first = await repo.queue.enqueue('q.key', { v: 1 }, { key: 'flow-a' });
        const second = await repo.queue.enqueue('q.key', { v: 2 }, { key: 'flow-a' });
        const other = await repo.queue.enqueue('q.key2', { v: 3 }, { key: 'flow-a' });
        assert.equal(first.created, true);
        assert.deepEqual(second, { id: first.id, created: false });
        assert.equal(other.created, true);
        const [item] = await repo.queue.claim('q.key', 'w', 5, 60_000);
        assert.deepEqual(item?.payload, { v: 1 });
        assert.equal(item?.key, 'flow-a');
      });

      test('an expired lease makes the item claimable again', async () => {
        await repo.queue.enqueue('q.lease', 'job');
        assert.equal((await repo.queue.claim('q.lease', 'crashed', 1, 1)).length, 1);
        await sleep(10);
        assert.equal(await repo.queue.reclaimExpired(), 1);
        const [item] = await repo.queue.claim('q.lease', 'w2', 1, 60_000);
        assert.equal(item?.payload, 'job');
        assert.equal(item?.claimedBy, 'w2');
        await repo.queue.enqueue('q.lease2', 'job2');
        await repo.queue.claim('q.lease2', 'crashed', 1, 1);
        await sleep(10);
        assert.equal(
          (await repo.queue.claim('q.lease2', 'w3', 1, 60_000))[0]?.claimedBy,
          'w3',
          'claim takes lapsed leases',
        );
      });

      test('concurrent workers on separate connections never get the same item', async () => {
        const total = 200;
        for (let i = 0; i < total; i++) await repo.queue.enqueue('q.race', i);
        const handles = await Promise.all([factory.open(), factory.open(), factory.open()]);
        try {
          const seen: number[] = [];
          await Promise.all(
            [repo, ...handles].map(async (handle, w) => {
              for (;;) {
                const items = await handle.queue.claim('q.race', `w${w}`, 7, 60_000);
                if (items.length === 0) return;
                for (const item of items) {
                  seen.push(item.payload as number);
                  await handle.queue.complete(item.id);
                }
              }
            }),
          );
          assert.equal(seen.length, total, 'every item handed out exactly once');
          assert.equal(new Set(seen).size, total);
        } finally {
          await Promise.all(handles.map((h) => h.close()));
        }
      });

      test('bad arguments are refused', async () => {
        await assert.rejects(repo.queue.claim('q.bad', 'w', 0, 1000), /limit must be a positive integer/);
        await assert.rejects(repo.queue.enqueue('q.bad', undefined), /payload is undefined/);
        await assert.rejects(repo.queue.enqueue('q.bad', 1, { availableAt: 'soon' }), /'soon' is not a valid date/);
      });
    });

    test('a reopened repository has everything', async () => {
      await repo.flows.save({ namespace: 'dur', id: 'f', source: 'src' });
      await repo.executions.save(sampleExecution('dur-1', { namespace: 'dur' }));
      await repo.logs.append([log('dur-1', 'kept')]);
      await repo.kv.set({ namespace: 'dur', key: 'k', type: 'JSON', value: { x: 1 } });
      await repo.triggers.save({ namespace: 'dur', flowId: 'f', triggerId: 't', disabled: false, updated: 'u' });
      await repo.queue.enqueue('dur.q', 'work');
      await repo.close();
      repo = await factory.open();
      assert.equal((await repo.flows.get('dur', 'f'))?.source, 'src');
      assert.deepEqual(await repo.executions.get('dur-1'), sampleExecution('dur-1', { namespace: 'dur' }));
      assert.equal((await repo.logs.find({ executionId: 'dur-1' })).results[0]?.message, 'kept');
      assert.deepEqual((await repo.kv.get('dur', 'k'))?.value, { x: 1 });
      assert.equal((await repo.triggers.get('dur', 'f', 't'))?.updated, 'u');
      assert.equal((await repo.queue.claim('dur.q', 'w', 1, 1000))[0]?.payload, 'work');
    });
  });
}
