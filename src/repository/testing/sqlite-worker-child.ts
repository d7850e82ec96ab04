// A second process on the same SQLite file, for the multi-process test: saves executions and
// drains a queue, then prints the payloads it claimed as JSON.
import { openRepository } from '../open-repository.ts';
import { sampleExecution } from '../repository.conformance.ts';

const [dataDir, name] = process.argv.slice(2);
if (!dataDir || !name) throw new Error('usage: sqlite-worker-child <dataDir> <name>');
const repository = await openRepository({ dataDir });
const claimed: unknown[] = [];
let saved = 0;
for (;;) {
  await repository.executions.save(sampleExecution(`${name}-${saved++}`, { namespace: 'multi' }));
  await repository.logs.append([
    {
      namespace: 'multi',
      flowId: 'f',
      executionId: name,
      level: 'INFO',
      message: 'x',
      timestamp: new Date().toISOString(),
    },
  ]);
  const items = await repository.queue.claim('multi', name, 3, 60_000);
  if (items.length === 0 && saved > 50) break;
  for (const item of items) {
    claimed.push(item.payload);
    await repository.queue.complete(item.id);
  }
}
await repository.close();
process.stdout.write(JSON.stringify({ claimed, saved }));
