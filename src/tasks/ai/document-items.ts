import { type DocumentSources, listSources, loadDocumentResults } from '../../ai/documents/index.ts';
import type { IngestItem } from '../../ai/ingestion/incremental-ingest.ts';
import type { RunContext } from '../../plugin/run-context.ts';
import type { IngestDocumentProperties } from './ingest-document-schema.ts';

/** The task's source properties as the documents area takes them (templates already rendered). */
export function documentSourcesOf(props: IngestDocumentProperties): DocumentSources {
  return {
    fromPath: props.fromPath === undefined ? undefined : String(props.fromPath),
    include: props.include,
    exclude: props.exclude,
    fromDocuments: props.fromDocuments?.map((document) => ({
      content: String(document.content),
      metadata: document.metadata,
    })),
    fromInternalURIs: props.fromInternalURIs?.map(String),
    fromExternalURLs: props.fromExternalURLs?.map(String),
  };
}

/** The documents to ingest (failures included, so the ingestion decides FAIL or WARN) and their count. */
export async function ingestItemsOf(
  ctx: RunContext,
  props: IngestDocumentProperties,
): Promise<{ items: AsyncIterable<IngestItem>; total: number | undefined }> {
  const sources = documentSourcesOf(props);
  const given = [sources.fromPath, sources.fromDocuments, sources.fromInternalURIs, sources.fromExternalURLs];
  if (given.every((value) => value === undefined)) {
    throw new Error(
      'IngestDocument has no documents to ingest: set fromPath, fromDocuments, fromInternalURIs or fromExternalURLs',
    );
  }
  const options = {
    workingDirectory: ctx.workingDirectory,
    signal: ctx.signal,
    storage: ctx.storage,
    logger: ctx.logger,
  };
  // Counting is only for progress logs; a path that cannot be listed fails later with its own error.
  const total = await listSources(sources, options).then(
    (list) => list.length,
    () => undefined,
  );
  return { items: loadDocumentResults(sources, options), total };
}
