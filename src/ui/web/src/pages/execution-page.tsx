import { useEffect, useMemo, useState } from 'react';
import { API, api, duration, type Execution, type FlowGraph, TERMINAL } from '../api.ts';
import { Gantt } from '../components/gantt.tsx';
import { LogView } from '../components/log-view.tsx';
import { findSources, Sources } from '../components/sources.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { Topology } from '../components/topology.tsx';
import { Link, useRouter } from '../router.tsx';

type Tab = 'overview' | 'gantt' | 'logs' | 'outputs' | 'topology';

/** One execution: live state (SSE), Gantt, logs, outputs with citations, topology coloured by state. */
export function ExecutionPage({ id }: { id: string }) {
  const { navigate } = useRouter();
  const [execution, setExecution] = useState<Execution>();
  const [graph, setGraph] = useState<FlowGraph>();
  const [tab, setTab] = useState<Tab>('overview');
  const [now, setNow] = useState(Date.now());
  const [message, setMessage] = useState<string>();

  useEffect(() => {
    const source = new EventSource(`${API}/executions/${id}/follow`);
    source.addEventListener('execution', (event) => {
      setExecution(JSON.parse((event as MessageEvent<string>).data) as Execution);
      setNow(Date.now());
    });
    source.onerror = () => {
      source.close();
      // The stream ends at the terminal state; read the final record once more to be sure.
      api<Execution>(`/executions/${id}`)
        .then(setExecution)
        .catch((e: Error) => setMessage(e.message));
    };
    return () => source.close();
  }, [id]);

  // The graph depends only on the flow revision, not on every state update of the execution.
  const graphPath = execution
    ? `/flows/${execution.namespace}/${execution.flowId}/graph?revision=${execution.flowRevision}`
    : undefined;
  useEffect(() => {
    if (!graphPath) return;
    api<FlowGraph>(graphPath)
      .then(setGraph)
      .catch(() => {});
  }, [graphPath]);

  const running = execution && !TERMINAL.has(execution.state.current);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [running]);

  const states = useMemo(
    () => Object.fromEntries((execution?.taskRuns ?? []).map((run) => [run.taskId, run.state.current])),
    [execution],
  );
  const act = async (action: 'kill' | 'restart' | 'replay', taskRunId?: string) => {
    setMessage(undefined);
    try {
      const query = taskRunId ? `?taskRunId=${encodeURIComponent(taskRunId)}` : '';
      const result = await api<Execution>(`/executions/${id}/${action}${query}`, { method: 'POST' });
      if (action === 'replay') navigate(`/executions/${result.id}`);
      else setExecution(result);
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };

  if (!execution) return <p className="muted">{message ?? 'Loading…'}</p>;
  const sources = findSources([execution.outputs, ...execution.taskRuns.map((r) => r.outputs)]);
  const tabs: Tab[] = ['overview', 'gantt', 'logs', 'outputs', 'topology'];
  return (
    <section>
      <header className="page-header">
        <h1>
          <Link to={`/flows/edit/${execution.namespace}/${execution.flowId}`}>
            {execution.namespace}.{execution.flowId}
          </Link>{' '}
          <span className="muted small">{execution.id}</span>
        </h1>
        <StateBadge state={execution.state.current} />
        <span className="muted" data-testid="duration">
          {duration(execution.state, now)}
        </span>
        <div className="spacer" />
        <button type="button" onClick={() => act('kill')} disabled={!running}>
          Kill
        </button>
        <button type="button" onClick={() => act('restart')} disabled={running || execution.state.current !== 'FAILED'}>
          Restart
        </button>
        <button type="button" onClick={() => act('replay')} disabled={running}>
          Replay
        </button>
      </header>
      {message && (
        <p className="banner error" role="alert">
          {message}
        </p>
      )}
      <div className="tabs" role="tablist">
        {tabs.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            className={tab === t ? 'active' : ''}
            onClick={() => setTab(t)}
          >
            {t[0]?.toUpperCase()}
            {t.slice(1)}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'overview' && (
          <div className="overview">
            <h2>State history</h2>
            <ol className="history">
              {execution.state.histories.map((h) => (
                <li key={`${h.state}${h.date}`}>
                  <StateBadge state={h.state} /> {new Date(h.date).toLocaleTimeString()}
                </li>
              ))}
            </ol>
            {execution.error && <p className="banner error">{execution.error.message}</p>}
            <h2>Inputs</h2>
            <pre>{JSON.stringify(execution.inputs, null, 2)}</pre>
            {execution.labels.length > 0 && (
              <p>
                {execution.labels.map((l) => (
                  <span className="chip" key={`${l.key}:${l.value}`}>
                    {l.key}:{l.value}
                  </span>
                ))}
              </p>
            )}
            {execution.outputs && Object.keys(execution.outputs).length > 0 && (
              <>
                <h2>Outputs</h2>
                <pre data-testid="flow-outputs">{JSON.stringify(execution.outputs, null, 2)}</pre>
              </>
            )}
            <Sources sources={sources} />
          </div>
        )}
        {tab === 'gantt' && (
          <Gantt
            execution={execution}
            now={now}
            {...(running ? {} : { onReplay: (run: string) => act('replay', run) })}
          />
        )}
        {tab === 'logs' && <LogView executionId={execution.id} />}
        {tab === 'outputs' && (
          <div className="outputs">
            {execution.taskRuns
              .filter((r) => r.outputs && Object.keys(r.outputs).length > 0)
              .map((r) => (
                <details key={r.id} open>
                  <summary>{r.taskId}</summary>
                  <pre>{JSON.stringify(r.outputs, null, 2)}</pre>
                </details>
              ))}
            <Sources sources={sources} />
          </div>
        )}
        {tab === 'topology' && <Topology graph={graph} states={states} />}
      </div>
    </section>
  );
}
