import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Execution } from '../model/execution.ts';
import { createTestApp, HELLO_FLOW, type TestApp } from './testing/test-app.ts';

const API = '/api/v1/main';
const yaml = { 'content-type': 'application/x-yaml' };

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe('flows API', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('creates a flow from YAML and returns it with revision and source', async () => {
    const response = await t.app.request(`${API}/flows`, { method: 'POST', body: HELLO_FLOW, headers: yaml });
    assert.equal(response.status, 200);
    const flow = await json(response);
    assert.equal(flow.id, 'hello');
    assert.equal(flow.namespace, 'company.team');
    assert.equal(flow.revision, 1);
    assert.equal(flow.source, HELLO_FLOW);
  });

  test('a second POST of the same id is a conflict; PUT makes revision 2 and the history keeps both', async () => {
    const again = await t.app.request(`${API}/flows`, { method: 'POST', body: HELLO_FLOW, headers: yaml });
    assert.equal(again.status, 409);
    const changed = HELLO_FLOW.replace('Says hello', 'Says hello twice');
    const put = await t.app.request(`${API}/flows/company.team/hello`, { method: 'PUT', body: changed, headers: yaml });
    assert.equal(put.status, 200);
    assert.equal((await json(put)).revision, 2);
    const revisions = await json<{ revision: number }[]>(
      await t.app.request(`${API}/flows/company.team/hello/revisions`),
    );
    assert.deepEqual(
      revisions.map((r) => r.revision),
      [1, 2],
    );
    const first = await json(await t.app.request(`${API}/flows/company.team/hello?revision=1`));
    assert.equal(first.description, 'Says hello');
  });

  test('PUT with a different id in the YAML is refused', async () => {
    const response = await t.app.request(`${API}/flows/company.team/other`, {
      method: 'PUT',
      body: HELLO_FLOW,
      headers: yaml,
    });
    assert.equal(response.status, 422);
  });

  test('invalid YAML is rejected with every violation and its line, and nothing is saved', async () => {
    const bad =
      'id: broken\nnamespace: company.team\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n  - id: a\n';
    const response = await t.app.request(`${API}/flows`, { method: 'POST', body: bad, headers: yaml });
    assert.equal(response.status, 422);
    const body = await json<{ status: number; violations: { path: string; line?: number }[] }>(response);
    assert.equal(body.status, 422);
    assert.ok(body.violations.length >= 2, JSON.stringify(body));
    assert.ok(body.violations.every((v) => typeof v.line === 'number'));
    assert.equal((await t.app.request(`${API}/flows/company.team/broken`)).status, 404);
    const malformed = await t.app.request(`${API}/flows`, { method: 'POST', body: 'id: [unclosed\n', headers: yaml });
    assert.equal(malformed.status, 422);
  });

  test('validate returns one result per document with constraints and lines', async () => {
    const source = `${HELLO_FLOW}---\nid: bad\nnamespace: x\n`;
    const response = await t.app.request(`${API}/flows/validate`, { method: 'POST', body: source, headers: yaml });
    const results = await json<{ flow?: string; constraints?: string; violations: { line?: number }[] }[]>(response);
    assert.equal(results.length, 2);
    assert.equal(results[0]?.constraints, undefined);
    assert.equal(results[1]?.flow, 'bad');
    assert.match(results[1]?.constraints ?? '', /tasks/);
    assert.equal(results[1]?.violations[0]?.line, 19, 'lines count from the start of the whole source');
  });

  test('search, namespace listing and graph', async () => {
    const found = await json<{ total: number }>(await t.app.request(`${API}/flows/search?q=hello`));
    assert.equal(found.total, 1);
    const listed = await json<unknown[]>(await t.app.request(`${API}/flows/company.team`));
    assert.equal(listed.length, 1);
    const graph = await json<{ nodes: { uid: string }[]; edges: unknown[] }>(
      await t.app.request(`${API}/flows/company.team/hello/graph`),
    );
    assert.ok(graph.nodes.some((n) => n.uid === 'task.greet'));
    assert.ok(graph.edges.length >= 2);
  });

  test('delete hides the flow; a second delete is 404', async () => {
    const source = HELLO_FLOW.replace('id: hello', 'id: doomed');
    await t.app.request(`${API}/flows`, { method: 'POST', body: source, headers: yaml });
    assert.equal((await t.app.request(`${API}/flows/company.team/doomed`, { method: 'DELETE' })).status, 204);
    assert.equal((await t.app.request(`${API}/flows/company.team/doomed`)).status, 404);
    assert.equal((await t.app.request(`${API}/flows/company.team/doomed`, { method: 'DELETE' })).status, 404);
  });
});

describe('executions API', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await t.app.request(`${API}/flows`, { method: 'POST', body: HELLO_FLOW, headers: yaml });
  });
  after(() => t.close());

  test('multipart inputs with labels and wait=true return the terminal execution with outputs', async () => {
    const form = new FormData();
    form.set('name', 'Ada');
    const response = await t.app.request(
      `${API}/executions/company.team/hello?wait=true&labels=team:ai&labels=env:test`,
      {
        method: 'POST',
        body: form,
      },
    );
    assert.equal(response.status, 200);
    const execution = await json<Execution>(response);
    assert.equal(execution.state.current, 'SUCCESS');
    assert.equal(execution.inputs.name, 'Ada');
    assert.deepEqual(execution.labels, [
      { key: 'team', value: 'ai' },
      { key: 'env', value: 'test' },
      { key: 'system.correlationId', value: execution.id },
    ]);
    assert.equal(execution.outputs?.greeting, 'Hello Ada');
  });

  test('JSON inputs are accepted; invalid inputs are 422 naming each input', async () => {
    const ok = await t.app.request(`${API}/executions/company.team/hello`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Bob' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(ok.status, 200);
    const bad = await t.app.request(`${API}/executions/company.team/hello`, {
      method: 'POST',
      body: JSON.stringify({ count: 'many' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(bad.status, 422);
    const body = await json<{ violations: { path: string }[] }>(bad);
    assert.deepEqual(body.violations.map((v) => v.path).sort(), ['inputs.count', 'inputs.name']);
  });

  test('executing a missing flow is 404', async () => {
    const response = await t.app.request(`${API}/executions/company.team/nope`, { method: 'POST' });
    assert.equal(response.status, 404);
    assert.match((await json<{ message: string }>(response)).message, /nope/);
  });

  test('search by flow and state, get by id, logs, download', async () => {
    const found = await json<{ total: number; results: Execution[] }>(
      await t.app.request(`${API}/executions/search?flowId=hello&state=SUCCESS&state=FAILED`),
    );
    assert.ok(found.total >= 1);
    const id = found.results[0]!.id;
    const execution = await json<Execution>(await t.app.request(`${API}/executions/${id}`));
    assert.equal(execution.id, id);
    const logs = await json<{ message: string }[]>(await t.app.request(`${API}/logs/${id}`));
    assert.ok(logs.some((l) => l.message.startsWith('Hello ')));
    const errors = await json<unknown[]>(await t.app.request(`${API}/logs/${id}?minLevel=ERROR`));
    assert.equal(errors.length, 0);
    const text = await (await t.app.request(`${API}/logs/${id}/download`)).text();
    assert.match(text, /INFO +\[greet\] Hello /);
    assert.equal((await t.app.request(`${API}/executions/search?state=NOPE`)).status, 400);
  });

  test('follow streams execution updates as SSE until the execution ends', async () => {
    const created = await json<Execution>(
      await t.app.request(`${API}/executions/company.team/hello`, {
        method: 'POST',
        body: JSON.stringify({ name: 'Eve' }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    const response = await t.app.request(`${API}/executions/${created.id}/follow`);
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const text = await response.text();
    const states = [...text.matchAll(/"current":"(\w+)"/g)].map((m) => m[1]);
    assert.equal(states.at(-1), 'SUCCESS');
    const logs = await (await t.app.request(`${API}/logs/${created.id}/follow`)).text();
    assert.match(logs, /event: log/);
    assert.match(logs, /Hello Eve/);
  });

  test('file download serves files of the execution and rejects traversal', async () => {
    const found = await json<{ results: Execution[] }>(await t.app.request(`${API}/executions/search?flowId=hello`));
    const execution = found.results[0]!;
    const folder = join(t.dataDir, 'storage', 'company', 'team', 'hello', 'executions', execution.id);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'out.txt'), 'file body');
    const uri = `kestra:///company/team/hello/executions/${execution.id}/out.txt`;
    const ok = await t.app.request(`${API}/executions/${execution.id}/file?path=${encodeURIComponent(uri)}`);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'file body');
    await writeFile(join(t.dataDir, 'secret.txt'), 'nope');
    for (const path of [
      `kestra:///company/team/hello/executions/${execution.id}/../../../../../../secret.txt`,
      `kestra:///company/team/hello/executions/${execution.id}/%2e%2e/%2e%2e/x`,
      '/etc/passwd',
      'kestra:///other/flow/executions/x/file.txt',
    ]) {
      const response = await t.app.request(`${API}/executions/${execution.id}/file?path=${encodeURIComponent(path)}`);
      assert.ok([400, 404].includes(response.status), `${path} gave ${response.status}`);
      assert.doesNotMatch(await response.text(), /nope/);
    }
  });

  test('kill of an ended execution is a conflict; replay creates a new execution', async () => {
    const found = await json<{ results: Execution[] }>(await t.app.request(`${API}/executions/search?flowId=hello`));
    const id = found.results[0]!.id;
    assert.equal((await t.app.request(`${API}/executions/${id}/kill`, { method: 'DELETE' })).status, 409);
    const replay = await json<Execution>(await t.app.request(`${API}/executions/${id}/replay`, { method: 'POST' }));
    assert.notEqual(replay.id, id);
    assert.equal((await t.app.request(`${API}/executions/${id}/replay?taskRunId=x`, { method: 'POST' })).status, 404);
    assert.equal((await t.app.request(`${API}/executions/${id}/resume`, { method: 'POST' })).status, 409);
  });
});

describe('webhook, KV, schemas, limits and auth', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    const webhook = `id: ask
namespace: company.ai
inputs:
  - id: question
    type: STRING
    defaults: none
tasks:
  - id: echo
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.body.q }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: s3cr3t
    returnOutputs: true
outputs:
  - id: answer
    type: STRING
    value: "You asked: {{ trigger.body.q }}"
`;
    const created = await t.app.request(`${API}/flows`, { method: 'POST', body: webhook, headers: yaml });
    assert.equal(created.status, 200, await created.clone().text());
  });
  after(() => t.close());

  test('a webhook with the right key runs the flow and returns its outputs; a wrong key is a bare 404', async () => {
    const response = await t.app.request(`${API}/executions/webhook/company.ai/ask/s3cr3t?x=1`, {
      method: 'POST',
      body: JSON.stringify({ q: 'hi' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 200);
    const outputs = await json(response);
    assert.equal(outputs.answer, 'You asked: hi');
    const runs = await json<{ results: Execution[] }>(await t.app.request(`${API}/executions/search?flowId=ask`));
    assert.deepEqual(runs.results[0]?.trigger?.variables.body, { q: 'hi' });
    assert.deepEqual(runs.results[0]?.trigger?.variables.parameters, { x: ['1'] });
    for (const path of ['company.ai/ask/wrong', 'company.ai/missing/s3cr3t', 'other/ask/s3cr3t']) {
      const miss = await t.app.request(`${API}/executions/webhook/${path}`, { method: 'POST' });
      assert.equal(miss.status, 404);
      assert.equal((await json<{ message: string }>(miss)).message, 'webhook not found');
    }
  });

  test('KV: typed put (inferred and explicit), TTL, list, get, delete', async () => {
    const put = (key: string, body: string, query = '') =>
      t.app.request(`${API}/namespaces/company.ai/kv/${key}${query}`, { method: 'PUT', body });
    assert.equal((await json(await put('count', '42'))).type, 'NUMBER');
    assert.equal((await json(await put('name', '"Ada"'))).type, 'STRING');
    assert.equal((await json(await put('config', '{"a":1}'))).type, 'JSON');
    assert.equal((await json(await put('when', '"2026-01-01"'))).type, 'DATE');
    const ttl = await json(await put('temp', 'true', '?ttl=PT1H'));
    assert.equal(ttl.type, 'BOOLEAN');
    assert.ok(typeof ttl.expirationDate === 'string');
    assert.equal((await put('bad', '"abc"', '?type=NUMBER')).status, 400);
    assert.equal((await put('bad', '1', '?ttl=forever')).status, 400);
    assert.equal((await put('-bad', '1')).status, 400);
    const got = await json(await t.app.request(`${API}/namespaces/company.ai/kv/config`));
    assert.deepEqual(got.value, { a: 1 });
    const list = await json<{ key: string }[]>(await t.app.request(`${API}/namespaces/company.ai/kv`));
    assert.deepEqual(
      list.map((e) => e.key),
      ['config', 'count', 'name', 'temp', 'when'],
    );
    assert.equal((await t.app.request(`${API}/namespaces/company.ai/kv/count`, { method: 'DELETE' })).status, 204);
    assert.equal((await t.app.request(`${API}/namespaces/company.ai/kv/count`)).status, 404);
  });

  test('schemas, OpenAPI and unknown paths', async () => {
    const schema = await json(await t.app.request(`${API}/schemas/flow.json`));
    assert.equal(schema.type, 'object');
    const chat = await json<{ properties: Record<string, unknown>; outputs: { properties: Record<string, unknown> } }>(
      await t.app.request(`${API}/plugins/io.kestra.plugin.ai.rag.ChatCompletion?compact=true`),
    );
    assert.ok('prompt' in chat.properties && 'chatProvider' in chat.properties);
    assert.ok('textOutput' in chat.outputs.properties && 'sources' in chat.outputs.properties);
    assert.equal((await t.app.request(`${API}/plugins/io.kestra.plugin.Nope`)).status, 404);
    const openApi = await json<{
      openapi: string;
      paths: Record<string, Record<string, { parameters: { name: string }[] }>>;
    }>(await t.app.request('/api/openapi.json'));
    assert.equal(openApi.openapi, '3.1.0');
    const search = openApi.paths[`${API}/executions/search`]?.get;
    assert.ok(search?.parameters.some((p) => p.name === 'state'));
    assert.equal((await t.app.request(`${API}/nothing/here`)).status, 404);
  });

  test('a 50 MB body is refused with 413 and a JSON error', async () => {
    const big = new Uint8Array(50 * 1024 * 1024);
    const response = await t.app.request(`${API}/flows`, {
      method: 'POST',
      body: big,
      headers: { ...yaml, 'content-length': String(big.length) },
    });
    assert.equal(response.status, 413);
    assert.equal((await json(response)).status, 413);
  });

  test('with users configured, wrong or missing credentials get the same 401', async () => {
    const secured = await createTestApp({ auth: [{ username: 'admin', password: 'pw' }] });
    try {
      const basic = (s: string) => ({ authorization: `Basic ${Buffer.from(s).toString('base64')}` });
      const none = await secured.app.request(`${API}/flows/search`);
      const wrongPassword = await secured.app.request(`${API}/flows/search`, { headers: basic('admin:nope') });
      const wrongUser = await secured.app.request(`${API}/flows/search`, { headers: basic('root:pw') });
      for (const response of [none, wrongPassword, wrongUser]) {
        assert.equal(response.status, 401);
        assert.deepEqual(await json(response), { status: 401, message: 'authentication required' });
      }
      assert.equal((await secured.app.request(`${API}/flows/search`, { headers: basic('admin:pw') })).status, 200);
    } finally {
      await secured.close();
    }
  });
});
