import { AskPage } from './pages/ask-page.tsx';
import { BlueprintsPage } from './pages/blueprints-page.tsx';
import { ExecutePage } from './pages/execute-page.tsx';
import { ExecutionPage } from './pages/execution-page.tsx';
import { ExecutionsPage } from './pages/executions-page.tsx';
import { FlowEditorPage } from './pages/flow-editor-page.tsx';
import { FlowsPage } from './pages/flows-page.tsx';
import { KvPage } from './pages/kv-page.tsx';
import { TriggersPage } from './pages/triggers-page.tsx';
import { Link, match, useRouter } from './router.tsx';

const NAV = [
  { to: '/flows', label: 'Flows' },
  { to: '/executions', label: 'Executions' },
  { to: '/ask', label: 'Ask' },
  { to: '/triggers', label: 'Triggers' },
  { to: '/kv', label: 'KV store' },
  { to: '/blueprints', label: 'Blueprints' },
];

function Page() {
  const { path } = useRouter();
  if (match('/flows/new', path)) return <FlowEditorPage />;
  const edit = match('/flows/edit/:namespace/:id', path);
  if (edit) return <FlowEditorPage key={`${edit.namespace}/${edit.id}`} namespace={edit.namespace} id={edit.id} />;
  const execute = match('/flows/execute/:namespace/:id', path);
  if (execute) return <ExecutePage namespace={execute.namespace ?? ''} id={execute.id ?? ''} />;
  const execution = match('/executions/:id', path);
  if (execution) return <ExecutionPage key={execution.id} id={execution.id ?? ''} />;
  if (match('/executions', path)) return <ExecutionsPage />;
  if (match('/ask', path)) return <AskPage />;
  if (match('/kv', path)) return <KvPage />;
  if (match('/triggers', path)) return <TriggersPage />;
  if (match('/blueprints', path)) return <BlueprintsPage />;
  return <FlowsPage />;
}

export function App() {
  const { path } = useRouter();
  return (
    <div className="layout">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Windhover</div>
        {NAV.map((item) => (
          <Link key={item.to} to={item.to} className={path.startsWith(item.to) ? 'active' : ''}>
            {item.label}
          </Link>
        ))}
        <a href="/api" className="muted small">
          API (OpenAPI)
        </a>
      </nav>
      <main>
        <Page />
      </main>
    </div>
  );
}
