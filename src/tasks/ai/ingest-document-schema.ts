import { z } from 'zod';
import { dynamic } from '../../plugin/dynamic.ts';
import { pluginRef } from '../../plugin/plugin-ref.ts';

/** The reference's `documentSplitter`; without it each document is embedded whole. */
export const documentSplitterSchema = z.object({
  splitter: dynamic(z.enum(['RECURSIVE', 'PARAGRAPH', 'LINE', 'SENTENCE', 'WORD'])).default('RECURSIVE'),
  maxSegmentSizeInChars: dynamic(z.int().min(1).max(10_000_000)),
  maxOverlapSizeInChars: dynamic(z.int().min(0).max(10_000_000)),
});

const inlineDocument = z.object({
  content: dynamic(z.string()),
  /** A metadata `id` gives the document a stable source id (`inline:<id>`); else its position is used. */
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** Properties of `rag.IngestDocument`: the reference's plus our incremental options (documented in the task). */
export const ingestDocumentProperties = z.object({
  provider: pluginRef('provider'),
  embeddings: pluginRef('embeddings'),
  fromPath: dynamic(z.string()).optional(),
  include: z.array(z.string()).optional().describe('Ours: globs of files under fromPath to ingest (default all).'),
  exclude: z.array(z.string()).optional().describe('Ours: globs of files under fromPath to skip.'),
  fromDocuments: z.array(inlineDocument).optional(),
  fromInternalURIs: z.array(dynamic(z.string())).optional(),
  fromExternalURLs: z.array(dynamic(z.string())).optional(),
  documentSplitter: documentSplitterSchema.optional(),
  drop: dynamic(z.boolean()).default(false),
  bulkSize: dynamic(z.int().min(1).max(100_000)).default(500),
  metadata: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Metadata added to every chunk (the reference declares it but ignores it; here it is applied).'),
  removeMissingSources: dynamic(z.boolean())
    .default(false)
    .describe('Ours: delete from the store the sources that are no longer given (a file removed from fromPath).'),
  onDocumentError: dynamic(z.enum(['FAIL', 'WARN']))
    .default('FAIL')
    .describe('Ours: FAIL stops at a document that cannot be loaded (naming it); WARN skips it with a warning.'),
});

export type IngestDocumentProperties = z.output<typeof ingestDocumentProperties>;

export const ingestDocumentOutputs = z.object({
  ingestedDocuments: z.number().describe('Documents given and now in the store (added + updated + unchanged).'),
  inputTokenCount: z.number().optional(),
  outputTokenCount: z.number().optional(),
  totalTokenCount: z.number().optional(),
  embeddingStoreOutputs: z.record(z.string(), z.unknown()),
  documentsAdded: z.number(),
  documentsUpdated: z.number(),
  documentsUnchanged: z.number().describe('Skipped: same content and settings as in the store, no embedding call.'),
  documentsRemoved: z.number(),
  documentsFailed: z.number().describe('Skipped with onDocumentError: WARN.'),
  chunksWritten: z.number(),
  embeddingCalls: z.number(),
  cacheHits: z.number(),
});
