/** An error that retrying cannot fix (an invalid property, a missing flow): never retried. */
export class NonRetryableError extends Error {
  override name = 'NonRetryableError';
}

/** The attempt ran longer than the task's `timeout`. */
export class TaskTimeoutError extends Error {
  override name = 'TaskTimeoutError';
  constructor(timeout: string) {
    super(`the attempt exceeded its timeout of ${timeout} and was aborted`);
  }
}

/** The execution was killed while the attempt ran. */
export class TaskKilledError extends Error {
  override name = 'TaskKilledError';
  constructor() {
    super('the execution was killed');
  }
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof NonRetryableError || error instanceof TaskKilledError) return false;
  if (error && typeof error === 'object' && 'isRetryable' in error && error.isRetryable === false) return false;
  return true;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
