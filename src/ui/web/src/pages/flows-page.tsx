import { useEffect, useState } from 'react';
import { api, type Flow } from '../api.ts';
import { Link } from '../router.tsx';

function labelText(labels: Flow['labels']): string[] {
  if (!labels) return [];
  if (Array.isArray(labels)) return labels.map((l) => `${l.key}:${l.value}`);
  return Object.entries(labels).map(([k, v]) => `${k}:${v}`);
}

/** All flows, searchable by namespace, id or label. */
export function FlowsPage() {
  const [flows, setFlows] = useState<Flow[]>([]);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<{ results: Flow[] }>('/flows/search?size=500')
      .then((page) => setFlows(page.results))
      .catch((e: Error) => setError(e.message));
  }, []);
  const q = query.trim().toLowerCase();
  const shown = flows.filter(
    (f) => !q || `${f.namespace}.${f.id} ${labelText(f.labels).join(' ')}`.toLowerCase().includes(q),
  );
  return (
    <section>
      <header className="page-header">
        <h1>Flows</h1>
        <div className="spacer" />
        <Link className="button primary" to="/flows/new">
          New flow
        </Link>
      </header>
      <input
        type="search"
        className="filter"
        placeholder="Search by namespace, id or label"
        aria-label="Search flows"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {error && <p className="banner error">{error}</p>}
      <table>
        <thead>
          <tr>
            <th>Namespace</th>
            <th>Flow</th>
            <th>Labels</th>
            <th>Revision</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((f) => (
            <tr key={`${f.namespace}.${f.id}`}>
              <td>{f.namespace}</td>
              <td>
                <Link to={`/flows/edit/${f.namespace}/${f.id}`}>{f.id}</Link>
                {f.description && <div className="muted small">{f.description}</div>}
              </td>
              <td>
                {labelText(f.labels).map((l) => (
                  <span className="chip" key={l}>
                    {l}
                  </span>
                ))}
              </td>
              <td>{f.revision}</td>
              <td>
                <Link to={`/flows/execute/${f.namespace}/${f.id}`}>Execute</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && !error && <p className="muted">No flows yet. Create one, or copy a blueprint.</p>}
    </section>
  );
}
