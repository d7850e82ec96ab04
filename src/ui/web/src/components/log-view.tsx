import { useEffect, useState } from 'react';
import { API, type LogEntry } from '../api.ts';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

/** Live logs over SSE (one stream per execution), filtered by level and text in the browser. */
export function LogView({ executionId }: { executionId: string }) {
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const [minLevel, setMinLevel] = useState<(typeof LEVELS)[number]>('TRACE');
  const [search, setSearch] = useState('');
  useEffect(() => {
    setEntries([]);
    const source = new EventSource(`${API}/logs/${executionId}/follow`);
    const seen = new Set<number>();
    source.addEventListener('log', (event) => {
      const entry = JSON.parse((event as MessageEvent<string>).data) as LogEntry;
      if (entry.sequence !== undefined) {
        if (seen.has(entry.sequence)) return;
        seen.add(entry.sequence);
      }
      setEntries((list) => [...list, entry]);
    });
    // The server ends the stream when the execution ends; do not let the browser reconnect forever.
    source.onerror = () => source.close();
    return () => source.close();
  }, [executionId]);
  const q = search.toLowerCase();
  const shown = entries.filter(
    (e) => LEVELS.indexOf(e.level) >= LEVELS.indexOf(minLevel) && (!q || e.message.toLowerCase().includes(q)),
  );
  return (
    <div className="logs">
      <div className="filters">
        <select
          aria-label="Minimum level"
          value={minLevel}
          onChange={(e) => setMinLevel(e.target.value as typeof minLevel)}
        >
          {LEVELS.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
        <input
          type="search"
          aria-label="Search logs"
          placeholder="Search logs"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <a className="button" href={`${API}/logs/${executionId}/download`}>
          Download
        </a>
      </div>
      <div className="log-lines" data-testid="logs" role="log" aria-live="polite">
        {shown.map((e, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: log lines only ever get appended.
          <div key={index} className={`log-line level-${e.level.toLowerCase()}`}>
            <span className="log-time">{e.timestamp.slice(11, 23)}</span>
            <span className="log-level">{e.level}</span>
            {e.taskId && <span className="log-task">{e.taskId}</span>}
            <span className="log-message">{e.message}</span>
          </div>
        ))}
        {shown.length === 0 && <div className="muted">No logs yet.</div>}
      </div>
    </div>
  );
}
