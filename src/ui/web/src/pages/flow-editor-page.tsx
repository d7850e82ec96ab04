import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, type Flow, type FlowGraph, sendYaml, type Violation } from '../api.ts';
import { RevisionDiff } from '../components/revision-diff.tsx';
import { Topology } from '../components/topology.tsx';
import { createSchemaIndex, YamlEditor } from '../components/yaml-editor.tsx';
import { Link, useRouter } from '../router.tsx';

export const NEW_FLOW = `id: hello_world
namespace: company.team
description: A first flow
inputs:
  - id: name
    type: STRING
    defaults: World
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.name }}"
`;

/** YAML on the left, live topology on the right; save creates a new revision. */
export function FlowEditorPage({ namespace, id }: { namespace?: string; id?: string }) {
  const { navigate } = useRouter();
  const schema = useMemo(() => createSchemaIndex(), []);
  const [source, setSource] = useState<string | undefined>(namespace ? undefined : initialSource());
  const [saved, setSaved] = useState<Flow | undefined>();
  const [graph, setGraph] = useState<FlowGraph | undefined>();
  const [violations, setViolations] = useState<Violation[]>([]);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();
  const [revisions, setRevisions] = useState<Flow[]>([]);
  const [compare, setCompare] = useState<number | undefined>();

  useEffect(() => {
    void schema.load();
  }, [schema]);

  useEffect(() => {
    if (!namespace || !id) return;
    api<Flow>(`/flows/${namespace}/${id}?source=true`)
      .then((flow) => {
        setSaved(flow);
        setSource(flow.source ?? '');
      })
      .catch((error: Error) => setMessage({ kind: 'error', text: error.message }));
    api<Flow[]>(`/flows/${namespace}/${id}/revisions`)
      .then(setRevisions)
      .catch(() => {});
  }, [namespace, id]);

  // The topology follows the text as it is typed; invalid YAML keeps the last good drawing.
  useEffect(() => {
    if (source === undefined) return;
    const timer = setTimeout(() => {
      sendYaml<FlowGraph>('/flows/graph', 'POST', source)
        .then(setGraph)
        .catch(() => {});
    }, 300);
    return () => clearTimeout(timer);
  }, [source]);

  const save = async () => {
    if (source === undefined) return;
    setMessage(undefined);
    try {
      const flow = saved
        ? await sendYaml<Flow>(`/flows/${saved.namespace}/${saved.id}`, 'PUT', source)
        : await sendYaml<Flow>('/flows', 'POST', source);
      setSaved(flow);
      setMessage({ kind: 'ok', text: `Saved revision ${flow.revision}` });
      setRevisions(await api<Flow[]>(`/flows/${flow.namespace}/${flow.id}/revisions`));
      if (!namespace) navigate(`/flows/edit/${flow.namespace}/${flow.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.violations.length > 0) setViolations(error.violations);
      setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  };

  // Ctrl+S / Cmd+S saves, as in any editor; a ref keeps the listener on the latest source.
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 's') {
        event.preventDefault();
        void saveRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const remove = async () => {
    if (!saved || !window.confirm(`Delete flow ${saved.namespace}.${saved.id}? Its executions are kept.`)) return;
    try {
      await api(`/flows/${saved.namespace}/${saved.id}`, { method: 'DELETE' });
      navigate('/flows');
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  };

  const compared = revisions.find((r) => r.revision === compare);
  return (
    <section className="editor-page">
      <header className="page-header">
        <h1>{saved ? `${saved.namespace}.${saved.id}` : 'New flow'}</h1>
        {saved && <span className="muted">revision {saved.revision}</span>}
        <div className="spacer" />
        {saved && (
          <Link className="button" to={`/flows/execute/${saved.namespace}/${saved.id}`}>
            Execute
          </Link>
        )}
        {saved && (
          <button type="button" onClick={remove}>
            Delete
          </button>
        )}
        <button
          type="button"
          className="primary"
          onClick={save}
          disabled={source === undefined}
          title="Save a new revision (Ctrl+S)"
        >
          Save
        </button>
      </header>
      {message && (
        <p className={`banner ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <div className="split">
        <div className="pane">
          {source !== undefined && (
            <YamlEditor value={source} onChange={setSource} schema={schema} onViolations={setViolations} />
          )}
          {violations.length > 0 && (
            <ul className="violations" aria-label="Problems" data-testid="violations">
              {violations.map((v) => (
                <li key={`${v.line}:${v.column}:${v.path}:${v.message}`}>
                  {v.line ? `line ${v.line}: ` : ''}
                  {v.path ? <code>{v.path}</code> : null} {v.message}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="pane">
          <Topology graph={graph} />
        </div>
      </div>
      {revisions.length > 1 && saved && (
        <details className="revisions">
          <summary>Revisions ({revisions.length})</summary>
          <label>
            Compare revision{' '}
            <select value={compare ?? ''} onChange={(e) => setCompare(Number(e.target.value) || undefined)}>
              <option value="">choose…</option>
              {revisions
                .filter((r) => r.revision !== saved.revision)
                .map((r) => (
                  <option key={r.revision} value={r.revision}>
                    {r.revision} ({r.updated?.slice(0, 19).replace('T', ' ')})
                  </option>
                ))}
            </select>{' '}
            with the current one
          </label>
          {compared && <RevisionDiff left={compared.source ?? ''} right={saved.source ?? ''} />}
        </details>
      )}
    </section>
  );
}

/** A blueprint copied into the editor travels through session storage. */
function initialSource(): string {
  const copied = sessionStorage.getItem('windhover.blueprint');
  if (copied) {
    sessionStorage.removeItem('windhover.blueprint');
    return copied;
  }
  return NEW_FLOW;
}
