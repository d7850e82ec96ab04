// The documents area: load (path, inline, internal storage, URLs) → parse → split.

export { inlineSourceId, type LoadResult, listSources, loadDocumentResults, loadDocuments } from './load-documents.ts';
export {
  DocumentLoadError,
  type DocumentSources,
  type HttpLimits,
  type InlineDocument,
  type LoadedDocument,
  type LoadOptions,
  type MetadataValue,
} from './loaded-document.ts';
export { type ParsedDocument, parseDocument } from './parsers/parse-document.ts';
export { pathSourceId } from './sources/path-source.ts';
export { chunkId } from './splitter/chunk-id.ts';
export { type Chunk, type SplitterOptions, splitText } from './splitter/split-text.ts';
