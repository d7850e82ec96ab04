import { createHash } from 'node:crypto';
import type { Chunk } from './split-text.ts';

/**
 * Deterministic chunk id, shaped like a name-based UUID (version 5 bits, RFC 4122 variant)
 * so stores that demand UUIDs (Qdrant, pgvector uuid columns) accept it. The same source,
 * index and text always give the same id, so a re-run overwrites instead of duplicating.
 */
export function chunkId(source: string, chunk: Pick<Chunk, 'index' | 'text'>): string {
  const digest = createHash('sha256').update(source).update('\0').update(String(chunk.index)).update('\0');
  const bytes = digest.update(chunk.text).digest();
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
