import type { Execution } from '../model/execution.ts';
import { isTerminal, TERMINAL_STATES } from '../model/state.ts';
import type { Repository } from '../repository/repository.ts';
import type { FlowCursor } from './trigger-state.ts';

/**
 * How long after its end date an ended execution may still be missing from the repository (the
 * engine stamps the end before it saves; other processes save on their own). A cursor stays this
 * far behind the catch-up time, and `done` keeps what was acted on inside that margin.
 */
export const SETTLE_MS = 60_000;
/** Catch-up never reaches further back: the reference's queue keeps ended executions 7 days. */
export const MAX_CATCH_UP_MS = 7 * 24 * 3_600_000;
/** What one catch-up reads at most, so a huge backlog is reported instead of read for minutes. */
export const MAX_SCANNED = 100_000;
const MAX_OPEN = 10_000;
const MAX_DONE = 10_000;
const PAGE = 500;

/** A cursor that evaluates what ends from `after` on, including executions already running. */
export function newFlowCursor(after: Date, unfinished: readonly Execution[]): FlowCursor {
  const iso = after.toISOString();
  return { after: iso, scanFrom: iso, open: startedBefore(unfinished, iso), done: {} };
}

/** False for a cursor a stored state holds but that cannot be used (edited or damaged by hand). */
export function isFlowCursor(value: unknown): value is FlowCursor {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Partial<FlowCursor>;
  return (
    typeof c.after === 'string' &&
    !Number.isNaN(Date.parse(c.after)) &&
    typeof c.scanFrom === 'string' &&
    !Number.isNaN(Date.parse(c.scanFrom)) &&
    Array.isArray(c.open) &&
    typeof c.done === 'object' &&
    c.done !== null
  );
}

/** True when the trigger must not evaluate this execution: it ended before the cursor, or was acted on. */
export function alreadyEvaluated(cursor: FlowCursor | undefined, execution: Execution): boolean {
  const end = execution.state.endDate;
  if (!cursor || !end) return false;
  return Date.parse(end) < Date.parse(cursor.after) || cursor.done[execution.id] === end;
}

/** Records that the trigger acted on this execution's end. */
export function markEvaluated(cursor: FlowCursor | undefined, execution: Execution): void {
  const end = execution.state.endDate;
  if (!cursor || !end) return;
  cursor.done[execution.id] = end;
  const ids = Object.keys(cursor.done);
  // Only a scheduler that never catches up (never started) lets `done` grow: keep the newest.
  if (ids.length <= MAX_DONE) return;
  const byEnd = ids.sort((a, b) => Date.parse(cursor.done[a] ?? '') - Date.parse(cursor.done[b] ?? ''));
  for (const id of byEnd.slice(0, ids.length - MAX_DONE)) delete cursor.done[id];
}

/**
 * The ended executions a catch-up at `now` evaluates, oldest end first: terminal executions that
 * started at or after the earliest `scanFrom`, plus the cursors' `open` ones that ended since
 * (`unfinished` is read before, so an execution ending in between is still found next time).
 * The repository filters executions by start date only, hence the scan and the open list.
 */
export async function endedSince(
  repository: Repository,
  cursors: readonly FlowCursor[],
  now: Date,
  unfinished: readonly Execution[],
): Promise<{ executions: Execution[]; truncated: boolean }> {
  const limit = now.getTime() - MAX_CATCH_UP_MS;
  const floor = Math.max(limit, Math.min(...cursors.map((c) => Date.parse(c.scanFrom))));
  const after = Math.max(limit, Math.min(...cursors.map((c) => Date.parse(c.after))));
  const found = new Map<string, Execution>();
  const keep = (execution: Execution) => {
    const end = execution.state.endDate;
    if (end && isTerminal(execution.state.current) && Date.parse(end) >= after) found.set(execution.id, execution);
  };
  let truncated = false;
  const states = [...TERMINAL_STATES];
  const startDate = new Date(floor).toISOString();
  for (let page = 1; ; page++) {
    const result = await repository.executions.search({ states, startDate, page, size: PAGE });
    for (const execution of result.results) keep(execution);
    if (result.results.length < PAGE || page * PAGE >= result.total) break;
    if (page * PAGE >= MAX_SCANNED) {
      truncated = true;
      break;
    }
  }
  const stillOpen = new Set(unfinished.map((e) => e.id));
  for (const id of new Set(cursors.flatMap((c) => c.open))) {
    if (stillOpen.has(id) || found.has(id)) continue;
    const execution = await repository.executions.get(id);
    if (execution) keep(execution);
  }
  const executions = [...found.values()].sort(
    (a, b) =>
      Date.parse(a.state.endDate ?? '') - Date.parse(b.state.endDate ?? '') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return { executions, truncated };
}

/**
 * Moves a cursor past a catch-up made at `now`. It stays SETTLE_MS behind, except for a disabled
 * trigger: what ended while it was off never fires.
 */
export function advanceFlowCursor(
  cursor: FlowCursor,
  now: Date,
  unfinished: readonly Execution[],
  disabled: boolean,
): void {
  const settled = now.getTime() - SETTLE_MS;
  // Disabled: everything that ended up to and including `now` was seen while off.
  const after = Math.max(Date.parse(cursor.after), disabled ? now.getTime() + 1 : settled);
  cursor.after = new Date(after).toISOString();
  cursor.scanFrom = new Date(settled).toISOString();
  cursor.open = startedBefore(unfinished, cursor.scanFrom);
  for (const [id, end] of Object.entries(cursor.done)) if (Date.parse(end) < after) delete cursor.done[id];
}

function startedBefore(unfinished: readonly Execution[], iso: string): string[] {
  const limit = Date.parse(iso);
  return unfinished
    .filter((e) => Date.parse(e.state.startDate) < limit)
    .slice(-MAX_OPEN)
    .map((e) => e.id);
}
