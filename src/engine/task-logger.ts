import type { LogLevel } from '../model/execution.ts';
import type { TaskLogger } from '../plugin/run-context.ts';

export function taskLogger(write: (level: LogLevel, message: string) => void): TaskLogger {
  return {
    log: write,
    trace: (message) => write('TRACE', message),
    debug: (message) => write('DEBUG', message),
    info: (message) => write('INFO', message),
    warn: (message) => write('WARN', message),
    error: (message) => write('ERROR', message),
  };
}
