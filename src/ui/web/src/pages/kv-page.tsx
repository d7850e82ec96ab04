import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api.ts';

interface KvSummary {
  key: string;
  type: string;
  description?: string;
  expirationDate?: string;
  updateDate: string;
}

const TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'];

/** Key-value entries of a namespace: typed values, TTL, edit and delete. */
export function KvPage() {
  const [namespaces, setNamespaces] = useState<string[]>([]);
  const [namespace, setNamespace] = useState('');
  const [entries, setEntries] = useState<KvSummary[]>([]);
  const [editing, setEditing] = useState<{ key: string; type: string; value: string; ttl: string }>();
  const [message, setMessage] = useState<string>();

  useEffect(() => {
    api<string[]>('/namespaces')
      .then((list) => {
        setNamespaces(list);
        setNamespace((current) => current || list[0] || '');
      })
      .catch(() => {});
  }, []);
  const reload = (ns = namespace) => {
    if (!ns) return;
    api<KvSummary[]>(`/namespaces/${ns}/kv`)
      .then(setEntries)
      .catch((e: Error) => setMessage(e.message));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload reads the namespace it is given.
  useEffect(() => reload(namespace), [namespace]);

  const edit = async (key: string) => {
    const entry = await api<{ type: string; value: unknown }>(`/namespaces/${namespace}/kv/${key}`);
    setEditing({
      key,
      type: entry.type,
      value: typeof entry.value === 'string' ? entry.value : JSON.stringify(entry.value, null, 2),
      ttl: '',
    });
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    setMessage(undefined);
    const body =
      editing.type === 'STRING' || editing.type.startsWith('DATE') || editing.type === 'DURATION'
        ? JSON.stringify(editing.value)
        : editing.value;
    const query = new URLSearchParams({ type: editing.type });
    if (editing.ttl) query.set('ttl', editing.ttl);
    try {
      await api(`/namespaces/${namespace}/kv/${editing.key}?${query}`, { method: 'PUT', body });
      setEditing(undefined);
      reload();
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };
  const remove = async (key: string) => {
    await api(`/namespaces/${namespace}/kv/${key}`, { method: 'DELETE' }).catch((e: Error) => setMessage(e.message));
    reload();
  };

  return (
    <section>
      <header className="page-header">
        <h1>KV store</h1>
        <label>
          Namespace{' '}
          <input
            list="namespaces"
            value={namespace}
            onChange={(e) => setNamespace(e.target.value)}
            aria-label="Namespace"
          />
          <datalist id="namespaces">
            {namespaces.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
        </label>
        <div className="spacer" />
        <button
          type="button"
          className="primary"
          disabled={!namespace}
          onClick={() => setEditing({ key: '', type: 'STRING', value: '', ttl: '' })}
        >
          Add key
        </button>
      </header>
      {message && (
        <p className="banner error" role="alert">
          {message}
        </p>
      )}
      {editing && (
        <form className="kv-form" onSubmit={save} aria-label="Edit key">
          <label>
            Key <input required value={editing.key} onChange={(e) => setEditing({ ...editing, key: e.target.value })} />
          </label>
          <label>
            Type{' '}
            <select value={editing.type} onChange={(e) => setEditing({ ...editing, type: e.target.value })}>
              {TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            Value{' '}
            <textarea
              rows={3}
              value={editing.value}
              onChange={(e) => setEditing({ ...editing, value: e.target.value })}
            />
          </label>
          <label>
            TTL{' '}
            <input
              placeholder="PT1H"
              value={editing.ttl}
              onChange={(e) => setEditing({ ...editing, ttl: e.target.value })}
            />
          </label>
          <button type="submit" className="primary">
            Save
          </button>
          <button type="button" onClick={() => setEditing(undefined)}>
            Cancel
          </button>
        </form>
      )}
      <table>
        <thead>
          <tr>
            <th>Key</th>
            <th>Type</th>
            <th>Expires</th>
            <th>Updated</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.key}>
              <td>{e.key}</td>
              <td>{e.type}</td>
              <td>{e.expirationDate ? new Date(e.expirationDate).toLocaleString() : 'never'}</td>
              <td>{new Date(e.updateDate).toLocaleString()}</td>
              <td>
                <button type="button" onClick={() => edit(e.key)}>
                  Edit
                </button>{' '}
                <button type="button" onClick={() => remove(e.key)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
