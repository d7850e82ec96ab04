import { createHash } from 'node:crypto';

/** Everything besides a document's content that changes the chunks or vectors written for it. */
export interface IngestionSettings {
  /** The splitter settings, or null when documents are embedded whole. */
  splitter: { splitter: string; maxSegmentSizeInChars: number; maxOverlapSizeInChars: number } | null;
  /** `provider/modelId` of the embedding model: a new model must re-embed everything. */
  embeddingModel: string;
  /** Metadata written on every chunk (task `metadata` plus the document's own). */
  metadata: Record<string, unknown>;
}

/**
 * The hash stored with a source and compared on the next run. It covers the content hash
 * and the settings, so changing the splitter, the model or the metadata re-indexes the source
 * while an identical re-run skips it without a single embedding call.
 */
export function sourceFingerprint(contentHash: string, settings: IngestionSettings): string {
  return createHash('sha256').update(contentHash).update('\0').update(stableStringify(settings)).digest('hex');
}

/** JSON with sorted keys, so the same settings always hash the same. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
