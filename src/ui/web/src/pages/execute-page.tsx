import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api, type Execution, type Flow, type InputSpec } from '../api.ts';
import { useRouter } from '../router.tsx';

/** A form generated from the flow's inputs: one typed control per input, server-side validation shown inline. */
export function ExecutePage({ namespace, id }: { namespace: string; id: string }) {
  const { navigate } = useRouter();
  const [flow, setFlow] = useState<Flow>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<Flow>(`/flows/${namespace}/${id}`)
      .then(setFlow)
      .catch((e: Error) => setMessage(e.message));
  }, [namespace, id]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage(undefined);
    const form = new FormData(event.currentTarget);
    // Unchecked boxes send nothing; say false explicitly.
    for (const input of flow?.inputs ?? []) {
      if (isBoolean(input) && !form.has(input.id)) form.set(input.id, 'false');
      const value = form.get(input.id);
      if (value instanceof File && value.size === 0 && value.name === '') form.delete(input.id);
      if (value === '') form.delete(input.id);
    }
    try {
      const execution = await api<Execution>(`/executions/${namespace}/${id}`, { method: 'POST', body: form });
      navigate(`/executions/${execution.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.violations.length > 0) {
        setErrors(Object.fromEntries(error.violations.map((v) => [v.path.replace(/^inputs\./, ''), v.message])));
      }
      setMessage(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <header className="page-header">
        <h1>
          Execute {namespace}.{id}
        </h1>
      </header>
      {message && (
        <p className="banner error" role="alert">
          {message}
        </p>
      )}
      {flow && (
        <form onSubmit={submit} className="input-form" aria-label="Execution inputs">
          {(flow.inputs ?? []).map((input) => (
            <div className="field" key={input.id}>
              <label htmlFor={`input-${input.id}`}>
                {input.displayName ?? input.id}
                {input.required !== false && input.defaults === undefined && <span aria-hidden="true"> *</span>}
                <span className="muted small"> {input.type}</span>
              </label>
              <InputControl input={input} />
              {input.description && <div className="muted small">{input.description}</div>}
              {errors[input.id] && (
                <div className="field-error" role="alert">
                  {errors[input.id]}
                </div>
              )}
            </div>
          ))}
          {(flow.inputs ?? []).length === 0 && <p className="muted">This flow has no inputs.</p>}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Starting…' : 'Execute'}
          </button>
        </form>
      )}
    </section>
  );
}

function isBoolean(input: InputSpec): boolean {
  return input.type === 'BOOLEAN' || input.type === 'BOOL';
}

function InputControl({ input }: { input: InputSpec }) {
  const id = `input-${input.id}`;
  const initial =
    input.defaults === undefined
      ? ''
      : typeof input.defaults === 'string'
        ? input.defaults
        : JSON.stringify(input.defaults);
  switch (input.type) {
    case 'INT':
      return <input id={id} name={input.id} type="number" step="1" defaultValue={initial} />;
    case 'FLOAT':
      return <input id={id} name={input.id} type="number" step="any" defaultValue={initial} />;
    case 'BOOLEAN':
    case 'BOOL':
      return <input id={id} name={input.id} type="checkbox" value="true" defaultChecked={input.defaults === true} />;
    case 'SELECT':
    case 'ENUM':
      return (
        <select id={id} name={input.id} defaultValue={initial}>
          <option value="">choose…</option>
          {(input.values ?? []).map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      );
    case 'MULTISELECT':
      return (
        <select id={id} name={input.id} multiple>
          {(input.values ?? []).map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      );
    case 'DATETIME':
      return <input id={id} name={input.id} type="text" placeholder="2026-01-31T12:00:00Z" defaultValue={initial} />;
    case 'DATE':
      return <input id={id} name={input.id} type="date" defaultValue={initial} />;
    case 'TIME':
      return <input id={id} name={input.id} type="time" defaultValue={initial} />;
    case 'FILE':
      return <input id={id} name={input.id} type="file" />;
    case 'SECRET':
      return <input id={id} name={input.id} type="password" autoComplete="off" />;
    case 'EMAIL':
      return <input id={id} name={input.id} type="email" defaultValue={initial} />;
    case 'JSON':
    case 'YAML':
    case 'ARRAY':
      return <textarea id={id} name={input.id} rows={4} defaultValue={initial} />;
    default:
      return <input id={id} name={input.id} type="text" defaultValue={initial} />;
  }
}
