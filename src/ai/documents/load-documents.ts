import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { normalizeMetadata, stableJson } from './document-metadata.ts';
import {
  DocumentLoadError,
  type DocumentSources,
  type InlineDocument,
  type LoadedDocument,
  type LoadOptions,
  type MetadataValue,
} from './loaded-document.ts';
import { parseDocument } from './parsers/parse-document.ts';
import { UnparsableDocumentError } from './parsers/parsed-content.ts';
import { listPathEntries, type PathEntry, pathSourceId } from './sources/path-source.ts';
import { fetchUrl } from './sources/url-source.ts';

/** One step of loading: a document, or a source that failed (the caller decides fail vs warn). */
export type LoadResult = { document: LoadedDocument } | { failedSource: string; error: DocumentLoadError };

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The source id of an inline document: its metadata `id` when it has one, else its position. */
export function inlineSourceId(document: InlineDocument, position: number): string {
  const id = document.metadata?.id;
  return typeof id === 'string' || typeof id === 'number' ? `inline:${id}` : `inline:${position}`;
}

async function readFileCapped(entry: PathEntry, maxBytes: number): Promise<Uint8Array> {
  const handle = await open(entry.absolute, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) {
      throw new DocumentLoadError(
        pathSourceId(entry.relative),
        `file of ${(size / 1024 / 1024).toFixed(1)} MB exceeds the ${(maxBytes / 1024 / 1024).toFixed(1)} MB limit (http.maxBytes applies to files too)`,
      );
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Parses bytes into a document, turning parser failures into DocumentLoadError for `source`. */
async function toDocument(
  source: string,
  bytes: Uint8Array,
  base: Record<string, MetadataValue>,
  options: LoadOptions,
  mimeType?: string,
  name?: string,
): Promise<LoadedDocument | undefined> {
  let parsed: Awaited<ReturnType<typeof parseDocument>>;
  try {
    parsed = await parseDocument(bytes, mimeType, name);
  } catch (error) {
    if (error instanceof UnparsableDocumentError) throw new DocumentLoadError(source, error.message, { cause: error });
    throw new DocumentLoadError(source, `cannot parse: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  if (parsed.text.trim().length === 0) {
    options.logger.warn(`document '${source}' has no text; skipped`);
    return undefined;
  }
  const metadata: Record<string, MetadataValue> = { source, ...base, contentType: parsed.contentType };
  if (parsed.title !== undefined) metadata.title = parsed.title;
  return { source, text: parsed.text, metadata, contentHash: sha256(bytes) };
}

async function* fromPath(sources: DocumentSources, options: LoadOptions): AsyncGenerator<LoadResult> {
  if (sources.fromPath === undefined) return;
  const maxBytes = options.http?.maxBytes ?? DEFAULT_MAX_BYTES;
  const entries = await listPathEntries(
    sources.fromPath,
    options.workingDirectory,
    sources.include,
    sources.exclude,
    options.signal,
  );
  for (const entry of entries) {
    options.signal.throwIfAborted();
    const source = pathSourceId(entry.relative);
    options.onDocument?.(source);
    try {
      const bytes = await readFileCapped(entry, maxBytes);
      const title = entry.relative.split('/').pop() ?? entry.relative;
      const document = await toDocument(
        source,
        bytes,
        { path: entry.relative, title },
        options,
        undefined,
        entry.relative,
      );
      if (document !== undefined) yield { document };
    } catch (error) {
      yield failure(source, error, options.signal);
    }
  }
}

function* fromDocuments(sources: DocumentSources, options: LoadOptions): Generator<LoadResult> {
  const list = sources.fromDocuments ?? [];
  for (const [position, inline] of list.entries()) {
    const source = inlineSourceId(inline, position);
    options.onDocument?.(source);
    if (typeof inline?.content !== 'string') {
      yield failure(source, new DocumentLoadError(source, `fromDocuments[${position}].content must be a string`));
      continue;
    }
    if (inline.content.trim().length === 0) {
      options.logger.warn(`document '${source}' (fromDocuments[${position}]) has no text; skipped`);
      continue;
    }
    const user = normalizeMetadata(inline.metadata);
    const metadata: Record<string, MetadataValue> = { contentType: 'text/plain', ...user, source };
    yield {
      document: {
        source,
        text: inline.content,
        metadata,
        contentHash: sha256(`${inline.content}\0${stableJson(user)}`),
      },
    };
  }
}

async function* fromInternalURIs(sources: DocumentSources, options: LoadOptions): AsyncGenerator<LoadResult> {
  const maxBytes = options.http?.maxBytes ?? DEFAULT_MAX_BYTES;
  for (const uri of sources.fromInternalURIs ?? []) {
    options.signal.throwIfAborted();
    options.onDocument?.(uri);
    try {
      const exists = await options.storage.exists(uri).catch(() => false);
      if (!exists) throw new DocumentLoadError(uri, 'no such file in internal storage');
      const size = await options.storage.size(uri);
      if (size > maxBytes) {
        throw new DocumentLoadError(uri, `file of ${size} bytes exceeds the ${maxBytes}-byte limit (http.maxBytes)`);
      }
      const bytes = await options.storage.get(uri);
      const document = await toDocument(uri, bytes, { uri }, options, undefined, uri);
      if (document !== undefined) yield { document };
    } catch (error) {
      yield failure(uri, error, options.signal);
    }
  }
}

// URLs are fetched a few at a time (network latency dominates), and yielded in order.
const URL_CONCURRENCY = 4;

async function loadUrl(url: string, options: LoadOptions): Promise<LoadResult | undefined> {
  try {
    const fetched = await fetchUrl(url, options.http ?? {}, options.signal);
    const document = await toDocument(url, fetched.bytes, { url }, options, fetched.contentType, fetched.url);
    return document === undefined ? undefined : { document };
  } catch (error) {
    return failure(url, error, options.signal);
  }
}

async function* fromExternalURLs(sources: DocumentSources, options: LoadOptions): AsyncGenerator<LoadResult> {
  const urls = sources.fromExternalURLs ?? [];
  const pending: Promise<LoadResult | undefined>[] = [];
  let next = 0;
  const startMore = (): void => {
    while (next < urls.length && pending.length < URL_CONCURRENCY) {
      const url = urls[next++] ?? '';
      const loading = loadUrl(url, options);
      // Rejections are observed when awaited below; this keeps an early stop from leaving one unhandled.
      loading.catch(() => {});
      pending.push(loading);
    }
  };
  startMore();
  while (pending.length > 0) {
    options.signal.throwIfAborted();
    const result = await pending.shift();
    startMore();
    if (result === undefined) continue;
    options.onDocument?.('document' in result ? result.document.source : result.failedSource);
    yield result;
  }
}

/** Wraps an error as a failed source; an abort of the task is rethrown so loading stops. */
function failure(source: string, error: unknown, signal?: AbortSignal): LoadResult {
  if (signal?.aborted) throw signal.reason;
  if (error instanceof DocumentLoadError) return { failedSource: error.source, error };
  const reason = error instanceof Error ? error.message : String(error);
  return { failedSource: source, error: new DocumentLoadError(source, reason, { cause: error }) };
}

/**
 * Like loadDocuments, but a source that cannot be loaded is yielded as `{ failedSource, error }`
 * and loading goes on with the next one, so a task can warn and skip. A fromPath that does not
 * exist is a failure of the whole path source. An abort of `options.signal` throws.
 */
export async function* loadDocumentResults(sources: DocumentSources, options: LoadOptions): AsyncGenerator<LoadResult> {
  try {
    yield* fromPath(sources, options);
  } catch (error) {
    yield failure(pathSourceId(sources.fromPath ?? '.'), error, options.signal);
  }
  yield* fromDocuments(sources, options);
  yield* fromInternalURIs(sources, options);
  yield* fromExternalURLs(sources, options);
}

/**
 * Yields documents in the reference's order: fromPath → fromDocuments → fromInternalURIs →
 * fromExternalURLs. A source that cannot be loaded throws DocumentLoadError naming the
 * source and why. Empty documents are skipped with a warning.
 */
export async function* loadDocuments(sources: DocumentSources, options: LoadOptions): AsyncGenerator<LoadedDocument> {
  for await (const result of loadDocumentResults(sources, options)) {
    if ('error' in result) throw result.error;
    yield result.document;
  }
}

/**
 * The sources a spec designates, without reading any content: files found under fromPath,
 * inline ids, URIs and URLs. Used to detect sources that disappeared since the last run.
 */
export async function listSources(sources: DocumentSources, options: LoadOptions): Promise<string[]> {
  const listed: string[] = [];
  if (sources.fromPath !== undefined) {
    const entries = await listPathEntries(
      sources.fromPath,
      options.workingDirectory,
      sources.include,
      sources.exclude,
      options.signal,
    );
    for (const entry of entries) listed.push(pathSourceId(entry.relative));
  }
  (sources.fromDocuments ?? []).forEach((inline, position) => {
    listed.push(inlineSourceId(inline, position));
  });
  listed.push(...(sources.fromInternalURIs ?? []), ...(sources.fromExternalURLs ?? []));
  return listed;
}
