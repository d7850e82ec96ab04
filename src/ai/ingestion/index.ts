export { chunkMetadata, toMetadataValues } from './chunk-metadata.ts';
export {
  DocumentIngestError,
  type EmbedTexts,
  type IncrementalIngestOptions,
  type IngestItem,
  type IngestibleDocument,
  type IngestionStats,
  ingestIncrementally,
  type TextChunk,
} from './incremental-ingest.ts';
export { type IngestionSettings, sourceFingerprint, stableStringify } from './source-fingerprint.ts';
