import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, shortType } from '../api.ts';
import { Link } from '../router.tsx';

interface TriggerView {
  namespace: string;
  flowId: string;
  id: string;
  type: string;
  disabled: boolean;
  nextDate?: string;
  lastDate?: string;
  lastExecutionId?: string;
  backfill?: { start: string; end: string; currentDate: string; paused: boolean };
  webhookPath?: string;
}

interface TriggerList {
  results: TriggerView[];
  capabilities: { backfill: boolean; disable: boolean };
}

const when = (date?: string) => (date ? new Date(date).toLocaleString() : '—');

/** Every trigger: next fire, last execution, webhook URL, backfills and enable/disable when the scheduler runs. */
export function TriggersPage() {
  const [list, setList] = useState<TriggerList>();
  const [message, setMessage] = useState<string>();
  const [backfilling, setBackfilling] = useState<TriggerView>();
  const load = useCallback(() => {
    api<TriggerList>('/triggers/search?size=500')
      .then(setList)
      .catch((e: Error) => setMessage(e.message));
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, [load]);

  const act = async (trigger: TriggerView, path: string, init: RequestInit = { method: 'POST' }) => {
    setMessage(undefined);
    try {
      await api(`/triggers/${trigger.namespace}/${trigger.flowId}/${trigger.id}/${path}`, init);
      load();
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };
  const startBackfill = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!backfilling) return;
    const form = new FormData(event.currentTarget);
    const iso = (name: string) => {
      const value = String(form.get(name) ?? '');
      return value ? new Date(value).toISOString() : undefined;
    };
    const body = { start: iso('start'), ...(iso('end') ? { end: iso('end') } : {}) };
    await act(backfilling, 'backfill', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    setBackfilling(undefined);
  };

  return (
    <section>
      <header className="page-header">
        <h1>Triggers</h1>
        {list && !list.capabilities.backfill && (
          <span className="muted">the scheduler is not running in this server</span>
        )}
      </header>
      {message && (
        <p className="banner error" role="alert">
          {message}
        </p>
      )}
      {backfilling && (
        <form className="kv-form" onSubmit={startBackfill} aria-label="Backfill">
          <strong>
            Backfill {backfilling.flowId}.{backfilling.id}
          </strong>
          <label>
            Start <input name="start" type="datetime-local" required />
          </label>
          <label>
            End <input name="end" type="datetime-local" />
          </label>
          <button type="submit" className="primary">
            Start backfill
          </button>
          <button type="button" onClick={() => setBackfilling(undefined)}>
            Cancel
          </button>
        </form>
      )}
      <table>
        <thead>
          <tr>
            <th>Flow</th>
            <th>Trigger</th>
            <th>Next</th>
            <th>Last</th>
            <th>Backfill</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {(list?.results ?? []).map((t) => (
            <tr key={`${t.namespace}.${t.flowId}.${t.id}`}>
              <td>
                <Link to={`/flows/edit/${t.namespace}/${t.flowId}`}>
                  {t.namespace}.{t.flowId}
                </Link>
              </td>
              <td>
                {t.id} <span className="muted small">{shortType(t.type)}</span>
                {t.disabled && <span className="chip">disabled</span>}
                {t.webhookPath && <div className="muted small">{t.webhookPath}</div>}
              </td>
              <td>{when(t.nextDate)}</td>
              <td>
                {when(t.lastDate)}
                {t.lastExecutionId && (
                  <div>
                    <Link to={`/executions/${t.lastExecutionId}`}>last execution</Link>
                  </div>
                )}
              </td>
              <td>
                {t.backfill
                  ? `${t.backfill.paused ? 'paused at' : 'at'} ${when(t.backfill.currentDate)} (to ${when(t.backfill.end)})`
                  : '—'}
              </td>
              <td className="actions">
                {list?.capabilities.backfill && t.type.endsWith('.Schedule') && !t.backfill && (
                  <button type="button" onClick={() => setBackfilling(t)}>
                    Backfill
                  </button>
                )}
                {t.backfill && (
                  <>
                    <button
                      type="button"
                      onClick={() => act(t, t.backfill?.paused ? 'backfill/unpause' : 'backfill/pause')}
                    >
                      {t.backfill.paused ? 'Resume' : 'Pause'}
                    </button>{' '}
                    <button type="button" onClick={() => act(t, 'backfill/delete')}>
                      Cancel backfill
                    </button>
                  </>
                )}
                {list?.capabilities.disable && (
                  <button
                    type="button"
                    onClick={() =>
                      act(t, 'disabled', {
                        method: 'PUT',
                        body: JSON.stringify({ disabled: !t.disabled }),
                        headers: { 'content-type': 'application/json' },
                      })
                    }
                  >
                    {t.disabled ? 'Enable' : 'Disable'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list && list.results.length === 0 && <p className="muted">No flow declares a trigger.</p>}
    </section>
  );
}
