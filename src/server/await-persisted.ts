import type { Execution } from '../model/execution.ts';
import type { Repository } from '../repository/repository.ts';

/** Longest wait for a new execution to reach the database before answering anyway. */
const MAX_WAIT_MS = 5000;

/**
 * The engine saves executions in write-behind batches, so a client that reads an execution
 * right after creating it could get a 404. Creation endpoints answer only once the execution
 * can be read back, so `POST` then `GET` (or `follow`) always works.
 */
export async function awaitPersisted(repository: Repository, execution: Execution): Promise<Execution> {
  const deadline = Date.now() + MAX_WAIT_MS;
  for (let delay = 2; Date.now() < deadline; delay = Math.min(delay * 2, 50)) {
    if (await repository.executions.get(execution.id)) return execution;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return execution;
}
