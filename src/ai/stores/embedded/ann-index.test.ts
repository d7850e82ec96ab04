import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { AnnIndex, expansionSearchFor } from './ann-index.ts';

const root = mkdtempSync(join(tmpdir(), 'windhover-ann-index-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('ANN index', () => {
  test('searches wider as the store grows', () => {
    assert.equal(expansionSearchFor(1_000), 200);
    assert.equal(expansionSearchFor(100_000), 48);
    assert.equal(expansionSearchFor(300_000), 96);
    assert.equal(expansionSearchFor(1_000_000), 200);
  });

  test('release frees the vectors at once, and a saved copy still loads afterwards', () => {
    const directory = join(root, 'release');
    mkdirSync(directory);
    const index = AnnIndex.open(directory, 8, 1);
    const vectors = Array.from({ length: 500 }, (_, i) => Float32Array.from({ length: 8 }, (_, j) => Math.sin(i + j)));
    index.add(
      vectors.map((_, i) => i + 1),
      vectors,
    );
    index.seq = 500;
    index.save();
    assert.equal(index.search(vectors[42]!, 1)[0]?.rowid, 43);

    index.release();
    assert.equal(index.size, 0);
    assert.deepEqual(index.search(vectors[42]!, 1), []);

    const reopened = AnnIndex.open(directory, 8, 1);
    assert.equal(reopened.size, 500);
    assert.equal(reopened.seq, 500);
    assert.equal(reopened.search(vectors[42]!, 1)[0]?.rowid, 43);
  });
});
