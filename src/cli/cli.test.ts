import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'windhover.js');

function windhover(dataDir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', SECRET_GREETING: Buffer.from('top-secret-hello').toString('base64') },
    timeout: 120_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('windhover CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wh-cli-'));
  const dataDir = join(dir, 'data');
  const flow = join(dir, 'hello.yml');
  writeFileSync(
    flow,
    `id: hello
namespace: company.team
inputs:
  - id: name
    type: STRING
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.name }} {{ secret('GREETING') }}"
  - id: remember
    type: io.kestra.plugin.core.kv.Set
    key: last_name
    value: "{{ inputs.name }}"
`,
  );
  const broken = join(dir, 'broken.yml');
  writeFileSync(
    broken,
    `id: broken
namespace: company.team
tasks:
  - id: t
    type: io.kestra.plugin.core.log.Lgo
    message: x
  - id: u
    type: io.kestra.plugin.core.log.Log
    timeout: 10 minutes
`,
  );

  test('flow validate lists every violation with its position and exits 1', () => {
    const ok = windhover(dataDir, 'flow', 'validate', flow);
    assert.equal(ok.code, 0, ok.err);
    const bad = windhover(dataDir, 'flow', 'validate', broken);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /broken\.yml:5:\d+: tasks\[0\]\.type/);
    assert.match(bad.err, /io\.kestra\.plugin\.core\.log\.Log/);
    assert.match(bad.err, /broken\.yml:9:\d+: tasks\[1\]\.timeout/);
  });

  test('run streams masked logs, records the execution, and the KV store persists between runs', () => {
    const run = windhover(dataDir, 'run', flow, '--input', 'name=Ada');
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, /hello Ada \*{6}/);
    assert.ok(!`${run.out}${run.err}`.includes('top-secret-hello'));
    assert.match(run.out, /SUCCESS/);
    const list = windhover(dataDir, 'executions', 'list');
    assert.match(list.out, /company\.team\/hello {2}SUCCESS/);
    const id = list.out.split(/\s+/)[0] ?? '';
    const logs = windhover(dataDir, 'executions', 'logs', id);
    assert.match(logs.out, /hello Ada \*{6}/);
    assert.equal(windhover(dataDir, 'kv', 'get', 'company.team', 'last_name').out.trim(), '"Ada"');
  });

  test('a missing required input is refused before any execution, with the reason', () => {
    const run = windhover(dataDir, 'run', flow);
    assert.equal(run.code, 1);
    assert.match(run.err, /name/);
  });

  test('flow schema prints a JSON Schema that lists the task types', () => {
    const schema = windhover(dataDir, 'flow', 'schema');
    assert.equal(schema.code, 0, schema.err);
    assert.ok(schema.out.includes('io.kestra.plugin.ai.rag.IngestDocument'));
    JSON.parse(schema.out);
  });
});
