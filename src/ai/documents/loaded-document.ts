import type { FileStorage, TaskLogger } from '../../plugin/run-context.ts';

/** A metadata value as stores accept it (flat, JSON-compatible scalars). */
export type MetadataValue = string | number | boolean | null;

/** One document, loaded and parsed to plain text, ready for splitting. */
export interface LoadedDocument {
  /** Stable identity: the URL, the path relative to fromPath's root (prefixed so sources never collide), the internal URI, or `inline:<n or metadata id>` */
  source: string;
  text: string;
  /** source, title, url or path, contentType, plus user metadata */
  metadata: Record<string, MetadataValue>;
  /** sha256 of the raw bytes (or inline content + metadata) — what incremental re-indexing compares */
  contentHash: string;
}

/** An inline document of the reference's `fromDocuments` list. */
export interface InlineDocument {
  content: string;
  metadata?: Record<string, unknown>;
}

/** Where documents come from: the IngestDocument task's source properties, already rendered. */
export interface DocumentSources {
  fromPath?: string;
  include?: string[];
  exclude?: string[];
  fromDocuments?: InlineDocument[];
  fromInternalURIs?: string[];
  fromExternalURLs?: string[];
}

/** Limits for fetching `fromExternalURLs`. */
export interface HttpLimits {
  /** Per URL, headers and body together; default 30 000. */
  timeoutMs?: number;
  /** Body size cap; reading stops and the URL fails beyond it. Default 50 MB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
}

/** What loading needs from the task's run context. */
export interface LoadOptions {
  workingDirectory: string;
  signal: AbortSignal;
  storage: FileStorage;
  logger: TaskLogger;
  http?: HttpLimits;
  /** called per source, for progress */
  onDocument?(source: string): void;
}

/** A source that could not be loaded; `source` names it, the message says why. */
export class DocumentLoadError extends Error {
  override readonly name = 'DocumentLoadError';
  readonly source: string;
  constructor(source: string, reason: string, options?: { cause?: unknown }) {
    super(`cannot load document '${source}': ${reason}`, options);
    this.source = source;
  }
}
