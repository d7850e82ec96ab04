// Started by the crash-recovery test: runs a flow until its task is running, says so, and
// waits to be killed with SIGKILL.
import { createHarness } from './engine-harness.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-child.ts DATA_DIR');
const h = await createHarness({ dataDir });
const { namespace, id } = await h.save(`id: crashy
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
const execution = await h.engine.createExecution(namespace, id);
const timer = setInterval(async () => {
  const stored = await h.repository.executions.get(execution.id);
  if (stored?.taskRuns.some((taskRun) => taskRun.taskId === 'long' && taskRun.state.current === 'RUNNING')) {
    clearInterval(timer);
    process.stdout.write(`RUNNING ${execution.id}\n`);
  }
}, 20);
