import type { MetadataValue } from '../spec/embedding-store.ts';

/** Flattens metadata to the scalar values stores keep (nested values become JSON text). */
export function toMetadataValues(metadata: Record<string, unknown>): Record<string, MetadataValue> {
  const out: Record<string, MetadataValue> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (value === undefined) continue;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[key] = value;
    } else if (value instanceof Date) {
      out[key] = value.toISOString();
    } else {
      out[key] = JSON.stringify(value);
    }
  }
  return out;
}

/**
 * Metadata of one chunk: task metadata first, then the document's (url or path, title...),
 * then the chunk's position, which nothing may override because citations rely on it.
 */
export function chunkMetadata(options: {
  source: string;
  contentHash: string;
  documentMetadata: Record<string, unknown>;
  taskMetadata: Record<string, unknown>;
  chunk: { index: number; start: number; end: number };
}): Record<string, MetadataValue> {
  return toMetadataValues({
    ...options.taskMetadata,
    ...options.documentMetadata,
    source: options.source,
    contentHash: options.contentHash,
    index: options.chunk.index,
    start: options.chunk.start,
    end: options.chunk.end,
  });
}
