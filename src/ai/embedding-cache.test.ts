import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { EmbeddingCache } from './embedding-cache.ts';

const dir = mkdtempSync(join(tmpdir(), 'windhover-embedding-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('EmbeddingCache', () => {
  test('stores float32 vectors under <dataDir>/cache/embeddings.db and finds them after reopening', () => {
    const cache = EmbeddingCache.open(dir);
    assert.ok(existsSync(join(dir, 'cache', 'embeddings.db')));
    cache.putMany('openai\0m', [
      { text: 'alpha', vector: Float32Array.from([0.5, -1.25, 3]) },
      { text: 'beta', vector: Float32Array.from([1, 2, 3]) },
    ]);
    cache.close();

    const reopened = EmbeddingCache.open(dir);
    const found = reopened.getMany('openai\0m', ['alpha', 'gamma', 'beta']);
    assert.deepEqual([...found.keys()].sort(), ['alpha', 'beta']);
    assert.deepEqual([...found.get('alpha')!], [0.5, -1.25, 3]);
    reopened.close();
  });

  test('keeps models apart: the same text under another namespace is a miss', () => {
    const cache = EmbeddingCache.open(dir);
    cache.putMany('local\0use', [{ text: 'same text', vector: Float32Array.from([1]) }]);
    assert.equal(cache.getMany('openai\0other', ['same text']).size, 0);
    assert.equal(cache.getMany('local\0use', ['same text']).size, 1);
    cache.close();
  });

  test('looks up thousands of texts in one call', () => {
    const cache = EmbeddingCache.open(dir);
    const texts = Array.from({ length: 2500 }, (_, i) => `text ${i}`);
    cache.putMany(
      'bulk',
      texts.map((text, i) => ({ text, vector: Float32Array.from([i]) })),
    );
    const found = cache.getMany('bulk', texts);
    assert.equal(found.size, 2500);
    assert.equal(found.get('text 1234')?.[0], 1234);
    cache.close();
  });
});
