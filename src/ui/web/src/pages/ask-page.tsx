import { type FormEvent, useEffect, useState } from 'react';
import { API, api, type Execution, type Flow, TERMINAL } from '../api.ts';
import { LogView } from '../components/log-view.tsx';
import { findSources, type Source, Sources } from '../components/sources.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { Link } from '../router.tsx';

interface Turn {
  question: string;
  executionId?: string;
  state?: string;
  answer?: string;
  sources: Source[];
  error?: string;
}

/** A flow can be asked when it has a RAG chat task and a `question` input. */
function askable(flow: Flow): boolean {
  return (
    (flow.inputs ?? []).some((i) => i.id === 'question') && JSON.stringify(flow.tasks ?? []).includes('ChatCompletion')
  );
}

/** The answer: a string flow output, else the chat task's `textOutput`. */
function answerOf(execution: Execution): string | undefined {
  const outputs = execution.outputs ?? {};
  const named = outputs.answer ?? Object.values(outputs).find((v) => typeof v === 'string');
  if (typeof named === 'string') return named;
  for (const run of execution.taskRuns) if (typeof run.outputs?.textOutput === 'string') return run.outputs.textOutput;
  return undefined;
}

/** Chat with a RAG flow: each question runs the flow; logs stream while it runs, the answer comes with citations. */
export function AskPage() {
  const [flows, setFlows] = useState<Flow[]>([]);
  const [chosen, setChosen] = useState('');
  const [question, setQuestion] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  useEffect(() => {
    api<{ results: Flow[] }>('/flows/search?size=500')
      .then((page) => {
        const list = page.results.filter(askable);
        setFlows(list);
        if (list[0]) setChosen(`${list[0].namespace}/${list[0].id}`);
      })
      .catch(() => {});
  }, []);

  const update = (index: number, patch: Partial<Turn>) =>
    setTurns((list) => list.map((turn, i) => (i === index ? { ...turn, ...patch } : turn)));

  const ask = async (event: FormEvent) => {
    event.preventDefault();
    const text = question.trim();
    if (!text || !chosen) return;
    setQuestion('');
    const index = turns.length;
    setTurns((list) => [...list, { question: text, sources: [] }]);
    const form = new FormData();
    form.set('question', text);
    try {
      const execution = await api<Execution>(`/executions/${chosen}`, { method: 'POST', body: form });
      update(index, { executionId: execution.id, state: execution.state.current });
      const stream = new EventSource(`${API}/executions/${execution.id}/follow`);
      stream.addEventListener('execution', (message) => {
        const current = JSON.parse((message as MessageEvent<string>).data) as Execution;
        update(index, { state: current.state.current });
        if (TERMINAL.has(current.state.current)) {
          stream.close();
          const patch: Partial<Turn> = {
            sources: findSources([current.outputs, ...current.taskRuns.map((r) => r.outputs)]),
          };
          const answer = answerOf(current);
          if (answer !== undefined) patch.answer = answer;
          if (current.state.current !== 'SUCCESS')
            patch.error = current.error?.message ?? `the flow ended ${current.state.current}`;
          update(index, patch);
        }
      });
      stream.onerror = () => stream.close();
    } catch (error) {
      update(index, { error: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <section className="ask">
      <header className="page-header">
        <h1>Ask</h1>
        <label>
          Flow{' '}
          <select value={chosen} onChange={(e) => setChosen(e.target.value)} aria-label="RAG flow">
            {flows.map((f) => (
              <option key={`${f.namespace}/${f.id}`} value={`${f.namespace}/${f.id}`}>
                {f.namespace}.{f.id}
              </option>
            ))}
          </select>
        </label>
      </header>
      {flows.length === 0 && (
        <p className="muted">No flow can be asked yet: it needs a ChatCompletion task and a `question` input.</p>
      )}
      <div className="chat" data-testid="chat">
        {turns.map((turn, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: turns are only appended.
          <div className="turn" key={index}>
            <div className="question">{turn.question}</div>
            <div className="answer">
              {turn.state && <StateBadge state={turn.state} />}{' '}
              {turn.executionId && <Link to={`/executions/${turn.executionId}`}>execution</Link>}
              {turn.answer && (
                <p className="answer-text" data-testid="answer">
                  {turn.answer}
                </p>
              )}
              {turn.error && (
                <p className="banner error" role="alert">
                  {turn.error}
                </p>
              )}
              <Sources sources={turn.sources} />
              {turn.executionId && !turn.answer && !turn.error && <LogView executionId={turn.executionId} />}
            </div>
          </div>
        ))}
      </div>
      <form className="ask-form" onSubmit={ask}>
        <input
          aria-label="Question"
          placeholder="Ask a question about your documents"
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
          disabled={!chosen}
        />
        <button type="submit" className="primary" disabled={!chosen || !question.trim()}>
          Ask
        </button>
      </form>
    </section>
  );
}
