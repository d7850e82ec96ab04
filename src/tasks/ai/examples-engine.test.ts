import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHarness, type Harness } from '../../engine/testing/engine-harness.ts';
import type { Execution } from '../../model/execution.ts';

// The shipped examples on the real engine (SQLite repository, worker, templates): the engine
// hands tasks the registry, renders sub-plugin properties and inputs, and records outputs.
const examples = join(import.meta.dirname, '../../../examples');
const example = (name: string) =>
  readFileSync(join(examples, name), 'utf8').replace('fromPath: examples/docs', `fromPath: ${join(examples, 'docs')}`);

let harness: Harness;
before(async () => {
  harness = await createHarness();
});
after(async () => {
  await harness.close();
});

function outputsOf(execution: Execution, taskId: string): Record<string, unknown> {
  const errors = execution.taskRuns.map((run) => run.attempts.at(-1)?.error).filter(Boolean);
  assert.equal(execution.state.current, 'SUCCESS', JSON.stringify(errors));
  return execution.taskRuns.find((run) => run.taskId === taskId)?.outputs ?? {};
}

describe('examples on the engine', () => {
  test('rag-ingest indexes the docs, a re-run embeds nothing, rag-ask answers with cited sources', async () => {
    const first = outputsOf(await harness.run(example('rag-ingest.yml')), 'ingest');
    assert.equal(first.documentsAdded, 5);
    const second = outputsOf(await harness.run(example('rag-ingest.yml')), 'ingest');
    assert.equal(second.embeddingCalls, 0);
    assert.equal(second.documentsUnchanged, 5);

    const asked = await harness.run(example('rag-ask.yml'), {
      inputs: { question: 'How do I run an ingestion every night?' },
    });
    const answer = outputsOf(asked, 'ask');
    assert.match(String(answer.textOutput), /\[1\]/);
    const sources = answer.sources as { metadata: { path?: string } }[];
    assert.ok(sources.some((source) => source.metadata.path === 'operations.md'));
  });
});
