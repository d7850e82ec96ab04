import { useEffect, useState } from 'react';
import { api, duration, type Execution } from '../api.ts';
import { StateBadge } from '../components/state-badge.tsx';
import { Link } from '../router.tsx';

const FILTER_STATES = ['RUNNING', 'SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'PAUSED', 'CREATED'];

/** Executions, newest first, refreshed every two seconds while the page is open. */
export function ExecutionsPage() {
  const [executions, setExecutions] = useState<Execution[]>([]);
  const [total, setTotal] = useState(0);
  const [namespace, setNamespace] = useState('');
  const [flowId, setFlowId] = useState('');
  const [state, setState] = useState('');
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    let stopped = false;
    const load = () => {
      const params = new URLSearchParams({ size: '100' });
      if (namespace) params.set('namespace', namespace);
      if (flowId) params.set('flowId', flowId);
      if (state) params.set('state', state);
      api<{ results: Execution[]; total: number }>(`/executions/search?${params}`)
        .then((page) => {
          if (stopped) return;
          setExecutions(page.results);
          setTotal(page.total);
          setNow(Date.now());
        })
        .catch(() => {});
    };
    load();
    const timer = setInterval(load, 2000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [namespace, flowId, state]);
  return (
    <section>
      <header className="page-header">
        <h1>Executions</h1>
        <span className="muted">{total} total</span>
      </header>
      <div className="filters">
        <input
          aria-label="Namespace"
          placeholder="Namespace"
          value={namespace}
          onChange={(e) => setNamespace(e.target.value)}
        />
        <input aria-label="Flow id" placeholder="Flow id" value={flowId} onChange={(e) => setFlowId(e.target.value)} />
        <select aria-label="State" value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">any state</option>
          {FILTER_STATES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </div>
      <table>
        <thead>
          <tr>
            <th>Id</th>
            <th>Flow</th>
            <th>Start</th>
            <th>Duration</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {executions.map((e) => (
            <tr key={e.id}>
              <td>
                <Link to={`/executions/${e.id}`}>{e.id.slice(0, 8)}</Link>
              </td>
              <td>
                {e.namespace}.{e.flowId}
              </td>
              <td>{new Date(e.state.startDate).toLocaleString()}</td>
              <td>{duration(e.state, now)}</td>
              <td>
                <StateBadge state={e.state.current} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
