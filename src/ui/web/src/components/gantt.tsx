import { duration, type Execution } from '../api.ts';
import { STATE_COLORS } from './state-badge.tsx';

/** One bar per task run (and a thin bar per attempt) on the execution's time axis. */
export function Gantt({
  execution,
  now,
  onReplay,
}: {
  execution: Execution;
  now: number;
  /** Offered on each row once the execution has ended: a new execution from that task run. */
  onReplay?: (taskRunId: string) => void;
}) {
  const start = Date.parse(execution.state.startDate);
  const end = execution.state.endDate ? Date.parse(execution.state.endDate) : now;
  const span = Math.max(end - start, 1);
  const pct = (t: number) => `${(((t - start) / span) * 100).toFixed(2)}%`;
  const width = (a: number, b: number) => `${Math.max(((b - a) / span) * 100, 0.5).toFixed(2)}%`;
  return (
    <div className="gantt" data-testid="gantt">
      {execution.taskRuns.map((run) => {
        const runStart = Date.parse(run.state.startDate);
        const runEnd = run.state.endDate ? Date.parse(run.state.endDate) : now;
        return (
          <div className="gantt-row" key={run.id}>
            <div className="gantt-label" title={run.taskId}>
              {run.taskId}
              {run.value !== undefined ? ` [${run.value}]` : ''}
            </div>
            <div className="gantt-track">
              <div
                className="gantt-bar"
                style={{
                  left: pct(runStart),
                  width: width(runStart, runEnd),
                  background: STATE_COLORS[run.state.current],
                }}
                title={`${run.state.current} · ${duration(run.state, now)}`}
              />
              {run.attempts.length > 1 &&
                run.attempts.map((attempt, index) => {
                  const a = Date.parse(attempt.state.startDate);
                  const b = attempt.state.endDate ? Date.parse(attempt.state.endDate) : now;
                  return (
                    <div
                      // biome-ignore lint/suspicious/noArrayIndexKey: attempts are ordered and never reordered.
                      key={index}
                      className="gantt-attempt"
                      style={{ left: pct(a), width: width(a, b), background: STATE_COLORS[attempt.state.current] }}
                      title={`attempt ${index + 1}: ${attempt.state.current}${attempt.error ? ` — ${attempt.error.message}` : ''}`}
                    />
                  );
                })}
            </div>
            <div className="gantt-duration">
              {duration(run.state, now)}
              {onReplay && (
                <button
                  type="button"
                  className="small"
                  onClick={() => onReplay(run.id)}
                  aria-label={`Replay from ${run.taskId}`}
                >
                  ↻
                </button>
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
}
