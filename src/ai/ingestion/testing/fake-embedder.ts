import { createHash } from 'node:crypto';
import type { EmbedTexts, TextChunk } from '../incremental-ingest.ts';

/** A deterministic bag-of-words embedding (64-d), so similar words give similar vectors. */
export function bagOfWordsVector(text: string, dimensions = 64): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const bucket = createHash('md5').update(word).digest().readUInt32LE(0) % dimensions;
    vector[bucket] = (vector[bucket] ?? 0) + 1;
  }
  return vector;
}

/** An embedder that counts calls and texts, with an optional cache keyed by text. */
export function countingEmbedder(options: { cache?: Map<string, Float32Array> } = {}) {
  const counts = { calls: 0, texts: 0 };
  const embed: EmbedTexts = async (values) => {
    const missing = values.filter((value) => !options.cache?.has(value));
    if (missing.length > 0) {
      counts.calls++;
      counts.texts += missing.length;
      for (const value of missing) options.cache?.set(value, bagOfWordsVector(value));
    }
    const embeddings = values.map((value) => options.cache?.get(value) ?? bagOfWordsVector(value));
    return {
      embeddings,
      usage: { inputTokens: missing.length * 10 },
      calls: missing.length > 0 ? 1 : 0,
      cacheHits: values.length - missing.length,
    };
  };
  return { embed, counts };
}

/** Splits on blank lines, keeping offsets. */
export function paragraphSplit(text: string): TextChunk[] {
  const chunks: TextChunk[] = [];
  for (const match of text.matchAll(/[^\n]+(?:\n[^\n]+)*/g)) {
    chunks.push({ text: match[0], index: chunks.length, start: match.index, end: match.index + match[0].length });
  }
  return chunks;
}

export function fakeChunkId(source: string, chunk: TextChunk): string {
  return createHash('sha256').update(`${source}\0${chunk.index}\0${chunk.text}`).digest('hex').slice(0, 32);
}
