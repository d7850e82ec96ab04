import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Execution } from '../model/execution.ts';
import { createTestApp, OFFLINE_RAG_FLOW, type TestApp } from './testing/test-app.ts';

const API = '/api/v1/main';

describe('API on the real engine', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    const created = await t.app.request(`${API}/flows`, {
      method: 'POST',
      body: OFFLINE_RAG_FLOW,
      headers: { 'content-type': 'application/x-yaml' },
    });
    assert.equal(created.status, 200, await created.clone().text());
  });
  after(() => t.close());

  test('wait=true runs an offline RAG flow and returns the answer with its sources', async () => {
    const form = new FormData();
    form.set('question', 'How many days of vacation do employees get?');
    const response = await t.app.request(`${API}/executions/company.ai/handbook_qa?wait=true`, {
      method: 'POST',
      body: form,
    });
    assert.equal(response.status, 200);
    const execution = (await response.json()) as Execution;
    assert.equal(execution.state.current, 'SUCCESS', JSON.stringify(execution.error));
    assert.match(String(execution.outputs?.answer), /twenty-five days/);
    const chat = execution.taskRuns.find((run) => run.taskId === 'chat');
    const sources = chat?.outputs?.sources as { metadata: { title?: string } }[];
    assert.equal(sources[0]?.metadata.title, 'Vacation policy');
    const logs = (await (await t.app.request(`${API}/logs/${execution.id}`)).json()) as unknown[];
    assert.ok(logs.length > 0);
  });

  test('a webhook with returnOutputs answers synchronously from the request body (RAG as an API)', async () => {
    const apiFlow = OFFLINE_RAG_FLOW.replace('id: handbook_qa', 'id: handbook_api')
      .replace(/inputs:\n {2}- id: question\n {4}type: STRING\n/, '')
      .replace('"{{ inputs.question }}"', '"{{ trigger.body.question }}"');
    const created = await t.app.request(`${API}/flows`, {
      method: 'POST',
      body: apiFlow,
      headers: { 'content-type': 'application/x-yaml' },
    });
    assert.equal(created.status, 200, await created.clone().text());
    const response = await t.app.request(`${API}/executions/webhook/company.ai/handbook_api/handbook-key`, {
      method: 'POST',
      body: JSON.stringify({ question: 'When does the office open?' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 200);
    const outputs = (await response.json()) as { answer?: string };
    assert.match(String(outputs.answer), /eight in the morning/);
  });

  test('invalid inputs from the real engine are a 422 naming the input', async () => {
    const response = await t.app.request(`${API}/executions/company.ai/handbook_qa`, { method: 'POST' });
    assert.equal(response.status, 422);
    const body = (await response.json()) as { violations: { path: string }[] };
    assert.deepEqual(
      body.violations.map((v) => v.path),
      ['inputs.question'],
    );
  });

  test('an uploaded FILE input is stored and can be downloaded from its execution, nothing else can', async () => {
    const flow = `id: upload
namespace: company.files
inputs:
  - id: doc
    type: FILE
tasks:
  - id: size
    type: io.kestra.plugin.core.log.Log
    message: "got {{ inputs.doc }}"
`;
    const created = await t.app.request(`${API}/flows`, {
      method: 'POST',
      body: flow,
      headers: { 'content-type': 'application/x-yaml' },
    });
    assert.equal(created.status, 200, await created.clone().text());
    const form = new FormData();
    form.set('doc', new File(['hello file'], 'notes.txt', { type: 'text/plain' }));
    const response = await t.app.request(`${API}/executions/company.files/upload?wait=true`, {
      method: 'POST',
      body: form,
    });
    const execution = (await response.json()) as Execution;
    assert.equal(execution.state.current, 'SUCCESS', JSON.stringify(execution));
    const uri = String(execution.inputs.doc);
    assert.match(uri, /^kestra:\/\/\//);
    const download = await t.app.request(`${API}/executions/${execution.id}/file?path=${encodeURIComponent(uri)}`);
    assert.equal(download.status, 200);
    assert.equal(await download.text(), 'hello file');
    const other = uri.replace(/[^/]+$/, '../../../../secret.key');
    const refused = await t.app.request(`${API}/executions/${execution.id}/file?path=${encodeURIComponent(other)}`);
    assert.equal(refused.status, 400);
  });

  test('kill stops a running execution; its follow stream ends in KILLED; logs are searchable', async () => {
    const flow = `id: slow
namespace: company.slow
tasks:
  - id: start
    type: io.kestra.plugin.core.log.Log
    message: starting the long wait
  - id: wait
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT60S
`;
    await t.app.request(`${API}/flows`, {
      method: 'POST',
      body: flow,
      headers: { 'content-type': 'application/x-yaml' },
    });
    const created = (await (
      await t.app.request(`${API}/executions/company.slow/slow`, { method: 'POST' })
    ).json()) as Execution;
    const follow = t.app.request(`${API}/executions/${created.id}/follow`);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const current = (await (await t.app.request(`${API}/executions/${created.id}`)).json()) as Execution;
      if (current.taskRuns.some((run) => run.taskId === 'wait')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const killed = await t.app.request(`${API}/executions/${created.id}/kill`, { method: 'DELETE' });
    assert.equal(killed.status, 202);
    const stream = await (await follow).text();
    const states = [...stream.matchAll(/"current":"(\w+)","histories"/g)].map((m) => m[1]);
    assert.equal(states.at(-1), 'KILLED');
    const found = (await (await t.app.request(`${API}/logs/search?q=long%20wait&namespace=company.slow`)).json()) as {
      total: number;
    };
    assert.equal(found.total, 1);
  });
});
