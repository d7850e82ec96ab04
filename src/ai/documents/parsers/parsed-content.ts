/** What a parser extracts from a document's bytes. */
export interface ParsedContent {
  text: string;
  title?: string;
}

/** Thrown by the parsers for content that cannot give text; the loader adds the source. */
export class UnparsableDocumentError extends Error {
  override readonly name = 'UnparsableDocumentError';
}
