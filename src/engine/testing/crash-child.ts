// Started by the crash-recovery test: runs a flow until its task is running, says so, and
// waits to be killed with SIGKILL.
import { createHarness } from './engine-harness.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-child.ts DATA_DIR');
const h = await createHarness({ dataDir });
const execution = await h.start(`id: crashy
namespace: company.team
tasks:
  - id: before
    type: io.windhover.test.Echo
    value: done-before
  - id: long
    type: io.windhover.test.Wait
    ms: "{{ taskrun.attemptsCount > 1 ? 10 : 600000 }}"
    retry:
      type: constant
      interval: PT0.01S
      maxAttempts: 3
  - id: after
    type: io.windhover.test.Echo
`);
// Read from the repository: the parent kills this process, so RUNNING must be stored, not just live.
await h.waitUntil(
  execution.id,
  (stored) => stored.taskRuns.some((taskRun) => taskRun.taskId === 'long' && taskRun.state.current === 'RUNNING'),
  { stored: true, timeoutMs: 60_000 },
);
process.stdout.write(`RUNNING ${execution.id}\n`);
