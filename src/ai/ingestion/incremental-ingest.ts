import type { TokenUsage } from '../spec/embedding-model.ts';
import type { EmbeddingStoreV1, StoredChunk } from '../spec/embedding-store.ts';
import { chunkMetadata } from './chunk-metadata.ts';
import { type IngestionSettings, sourceFingerprint } from './source-fingerprint.ts';

/** A loaded document (the documents area's LoadedDocument). */
export interface IngestibleDocument {
  /** URL, path or inline id: the key a document is replaced and removed by. */
  source: string;
  text: string;
  metadata: Record<string, unknown>;
  contentHash: string;
}

/** One item of the ingestion stream: a document, or a source that could not be loaded. */
export type IngestItem = { document: IngestibleDocument } | { failedSource: string; error: unknown };

/** A piece of a document as the splitter returns it. */
export interface TextChunk {
  text: string;
  index: number;
  start: number;
  end: number;
}

/** Embeds texts (through the embedding cache); the shape of `embedMany`'s result. */
export type EmbedTexts = (
  values: string[],
  signal: AbortSignal,
) => Promise<{ embeddings: Float32Array[]; usage: TokenUsage; calls: number; cacheHits: number }>;

export interface IncrementalIngestOptions {
  store: EmbeddingStoreV1;
  items: AsyncIterable<IngestItem>;
  /** Splits a document's text; without a splitter the whole text is one chunk. */
  split(text: string): TextChunk[];
  /** Deterministic chunk id, so a re-run overwrites instead of duplicating. */
  chunkId(source: string, chunk: TextChunk): string;
  embed: EmbedTexts;
  /** Splitter and model settings (document metadata is added per document). */
  settings: Omit<IngestionSettings, 'metadata'>;
  /** The task's `metadata`, applied to every chunk. */
  taskMetadata: Record<string, unknown>;
  /** Documents written per store call; a killed run keeps every batch written before it. */
  bulkSize: number;
  /** Wipe the store first (the reference's `drop: true`). */
  drop: boolean;
  /** Delete sources that are in the store but were not given this time. */
  removeMissingSources: boolean;
  /** FAIL (default) stops at a document that cannot be loaded; WARN skips it with a warning. */
  onDocumentError: 'FAIL' | 'WARN';
  /** Number of documents expected, for progress logs. */
  total?: number;
  logger: { info(message: string): void; warn(message: string): void };
  signal: AbortSignal;
}

/** What an ingestion did, for the task's outputs. */
export interface IngestionStats {
  documentsAdded: number;
  documentsUpdated: number;
  documentsUnchanged: number;
  documentsRemoved: number;
  documentsFailed: number;
  chunksWritten: number;
  embeddingCalls: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

/** A document that could not be loaded, named so the user can fix or skip it. */
export class DocumentIngestError extends Error {
  override name = 'DocumentIngestError';
  constructor(
    readonly source: string,
    readonly cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `could not load document '${source}': ${reason} ` +
        `(set onDocumentError: WARN to skip documents that fail to load)`,
    );
  }
  /** Loading failures are often transient (network); the task's retry policy decides. */
  get isRetryable(): boolean {
    const inner = this.cause as { isRetryable?: unknown } | undefined;
    return inner?.isRetryable !== false;
  }
}

interface PendingDocument {
  document: IngestibleDocument;
  fingerprint: string;
  metadata: Record<string, unknown>;
}

/**
 * Ingests documents incrementally: each source's fingerprint (content hash + settings) is
 * compared with the one stored; unchanged sources cost nothing, changed ones have all their
 * chunks replaced atomically, new ones are added. Writes go in batches of `bulkSize`
 * documents, each batch committed before the next is embedded, so a retried or restarted
 * run resumes where the last one stopped and never duplicates.
 */
export async function ingestIncrementally(options: IncrementalIngestOptions): Promise<IngestionStats> {
  const { store, logger, signal } = options;
  const stats: IngestionStats = {
    documentsAdded: 0,
    documentsUpdated: 0,
    documentsUnchanged: 0,
    documentsRemoved: 0,
    documentsFailed: 0,
    chunksWritten: 0,
    embeddingCalls: 0,
    cacheHits: 0,
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
  };
  if (options.drop) await store.drop();
  const existing = options.drop ? new Map<string, string>() : await store.sourceHashes();
  const seen = new Set<string>();
  let pending: PendingDocument[] = [];
  let done = 0;
  const bulkSize = Math.max(1, Math.floor(options.bulkSize));
  const progressEvery = Math.max(1, Math.min(bulkSize, Math.ceil((options.total ?? 100) / 10)));

  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    await writeBatch(batch, options, existing, stats);
    done += batch.length;
    logProgress();
  };
  let lastLogged = -1;
  const logProgress = () => {
    const processed = done + stats.documentsUnchanged + stats.documentsFailed;
    if (processed === lastLogged) return;
    lastLogged = processed;
    const total = options.total === undefined ? '' : `/${options.total}`;
    logger.info(
      `documents ${processed}${total} done ` +
        `(added ${stats.documentsAdded}, updated ${stats.documentsUpdated}, unchanged ${stats.documentsUnchanged}, ` +
        `chunks written ${stats.chunksWritten}, embedding calls ${stats.embeddingCalls})`,
    );
  };

  for await (const item of options.items) {
    signal.throwIfAborted();
    if ('failedSource' in item) {
      if (options.onDocumentError === 'FAIL') throw new DocumentIngestError(item.failedSource, item.error);
      seen.add(item.failedSource); // keep its old chunks: a transient failure must not delete a source
      stats.documentsFailed++;
      logger.warn(new DocumentIngestError(item.failedSource, item.error).message.replace(/ \(set .*\)$/, ''));
      continue;
    }
    const { document } = item;
    if (seen.has(document.source)) {
      logger.warn(`document '${document.source}' was given twice; only its first occurrence is ingested`);
      continue;
    }
    seen.add(document.source);
    const metadata = { ...options.taskMetadata, ...document.metadata };
    const fingerprint = sourceFingerprint(document.contentHash, { ...options.settings, metadata });
    if (existing.get(document.source) === fingerprint) {
      stats.documentsUnchanged++;
      if ((stats.documentsUnchanged + done) % progressEvery === 0) logProgress();
      continue;
    }
    pending.push({ document, fingerprint, metadata });
    if (pending.length >= bulkSize) await flush();
  }
  await flush();

  if (options.removeMissingSources && stats.documentsFailed > 0) {
    // A failure may hide many sources (a whole folder unreadable): never delete on partial evidence.
    logger.warn(`removeMissingSources skipped: ${stats.documentsFailed} source(s) failed to load this run`);
  } else if (options.removeMissingSources) {
    const missing = [...existing.keys()].filter((source) => !seen.has(source));
    if (missing.length > 0) {
      await store.deleteSources(missing);
      stats.documentsRemoved = missing.length;
      logger.info(`removed ${missing.length} source(s) no longer given: ${preview(missing)}`);
    }
  }
  logProgress();
  return stats;
}

async function writeBatch(
  batch: PendingDocument[],
  options: IncrementalIngestOptions,
  existing: Map<string, string>,
  stats: IngestionStats,
): Promise<void> {
  const prepared = batch.map(({ document, fingerprint, metadata }) => {
    const chunks = document.text.trim() === '' ? [] : options.split(document.text);
    return { document, fingerprint, metadata, chunks };
  });
  const texts = prepared.flatMap((entry) => entry.chunks.map((chunk) => chunk.text));
  const embedded =
    texts.length === 0
      ? { embeddings: [], usage: {}, calls: 0, cacheHits: 0 }
      : await options.embed(texts, options.signal);
  if (embedded.embeddings.length !== texts.length) {
    throw new Error(
      `the embedding model returned ${embedded.embeddings.length} vectors for ${texts.length} chunks; ` +
        `check the provider's batch limits`,
    );
  }
  stats.embeddingCalls += embedded.calls;
  stats.cacheHits += embedded.cacheHits;
  stats.inputTokens += embedded.usage.inputTokens ?? 0;
  stats.outputTokens += embedded.usage.outputTokens ?? 0;
  stats.totalTokens += embedded.usage.totalTokens ?? embedded.usage.inputTokens ?? 0;

  let offset = 0;
  const replacements = prepared.map(({ document, fingerprint, metadata, chunks }) => {
    const stored: StoredChunk[] = chunks.map((chunk) => ({
      id: options.chunkId(document.source, chunk),
      vector: embedded.embeddings[offset++]!,
      text: chunk.text,
      source: document.source,
      sourceHash: fingerprint,
      metadata: chunkMetadata({
        source: document.source,
        contentHash: document.contentHash,
        documentMetadata: metadata,
        taskMetadata: {},
        chunk,
      }),
    }));
    return { source: document.source, sourceHash: fingerprint, chunks: stored };
  });
  options.signal.throwIfAborted();
  await options.store.replaceSources(replacements);
  for (const { document, chunks } of prepared) {
    if (existing.has(document.source)) stats.documentsUpdated++;
    else stats.documentsAdded++;
    stats.chunksWritten += chunks.length;
  }
}

function preview(items: string[]): string {
  return items.length <= 5 ? items.join(', ') : `${items.slice(0, 5).join(', ')} and ${items.length - 5} more`;
}
