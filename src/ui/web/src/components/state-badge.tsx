export function StateBadge({ state }: { state: string }) {
  return <span className={`state state-${state.toLowerCase()}`}>{state}</span>;
}

export const STATE_COLORS: Record<string, string> = {
  CREATED: '#6b7280',
  QUEUED: '#6b7280',
  RUNNING: '#3b82f6',
  PAUSED: '#a855f7',
  RESTARTED: '#0ea5e9',
  KILLING: '#f97316',
  SUCCESS: '#22c55e',
  WARNING: '#eab308',
  FAILED: '#ef4444',
  KILLED: '#f97316',
  CANCELLED: '#9ca3af',
  RETRYING: '#0ea5e9',
  RETRIED: '#0ea5e9',
  SKIPPED: '#9ca3af',
};
