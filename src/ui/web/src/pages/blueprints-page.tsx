import { useEffect, useState } from 'react';
import { api, type FlowGraph } from '../api.ts';
import { Topology } from '../components/topology.tsx';
import { useRouter } from '../router.tsx';

interface Blueprint {
  file: string;
  id: string;
  namespace: string;
  description: string;
  source: string;
  graph?: FlowGraph;
  violations?: { path: string; message: string }[];
}

/** The example flows shipped with Windhover; one click copies one into the editor. */
export function BlueprintsPage() {
  const { navigate } = useRouter();
  const [blueprints, setBlueprints] = useState<Blueprint[]>([]);
  const [open, setOpen] = useState<string>();
  useEffect(() => {
    api<Blueprint[]>('/blueprints')
      .then(setBlueprints)
      .catch(() => {});
  }, []);
  const use = (blueprint: Blueprint) => {
    sessionStorage.setItem('windhover.blueprint', blueprint.source);
    navigate('/flows/new');
  };
  return (
    <section>
      <header className="page-header">
        <h1>Blueprints</h1>
      </header>
      {blueprints.length === 0 && <p className="muted">No example flows found.</p>}
      <div className="cards">
        {blueprints.map((b) => (
          <article className="card" key={b.file}>
            <h2>{b.id}</h2>
            <div className="muted small">{b.namespace}</div>
            <p>{b.description}</p>
            {b.violations && (
              <p className="muted small" role="note">
                Not runnable in this build: {b.violations[0]?.message}
              </p>
            )}
            <div className="card-actions">
              <button type="button" className="primary" onClick={() => use(b)}>
                Use in editor
              </button>
              <button
                type="button"
                disabled={!b.graph}
                onClick={() => setOpen(open === b.file ? undefined : b.file)}
                aria-expanded={open === b.file}
              >
                {open === b.file ? 'Hide' : 'Show'} topology
              </button>
            </div>
            {open === b.file && <Topology graph={b.graph} />}
          </article>
        ))}
      </div>
    </section>
  );
}
