/** Execution and task-run states, as the reference names them. */
export const STATES = [
  'CREATED',
  'QUEUED',
  'RUNNING',
  'PAUSED',
  'RESTARTED',
  'KILLING',
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
  'RETRYING',
  'RETRIED',
  'SKIPPED',
] as const;

export type State = (typeof STATES)[number];

export const TERMINAL_STATES: ReadonlySet<State> = new Set<State>([
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
  'RETRIED',
  'SKIPPED',
]);

export function isTerminal(state: State): boolean {
  return TERMINAL_STATES.has(state);
}

/** One entry of a state history: the state and when it was entered (ISO-8601). */
export interface StateHistoryEntry {
  state: State;
  date: string;
}

export interface StateWithHistory {
  current: State;
  histories: StateHistoryEntry[];
  startDate: string;
  endDate?: string;
}

export function newState(state: State, date = new Date()): StateWithHistory {
  const iso = date.toISOString();
  return { current: state, histories: [{ state, date: iso }], startDate: iso };
}

/** Moves a state forward, appending to its history; terminal states set endDate. */
export function transition(s: StateWithHistory, state: State, date = new Date()): StateWithHistory {
  const iso = date.toISOString();
  const next: StateWithHistory = {
    ...s,
    current: state,
    histories: [...s.histories, { state, date: iso }],
  };
  if (isTerminal(state)) next.endDate = iso;
  else delete next.endDate;
  return next;
}
