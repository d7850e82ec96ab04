import { charsetOf, decodeText } from '../decode-text.ts';
import { type DocumentKind, detectKind, KIND_MIME } from '../detect-content-type.ts';
import { parseDocx } from './docx-parser.ts';
import { parseHtml } from './html-parser.ts';
import { parseMarkdown } from './markdown-parser.ts';
import { type ParsedContent, UnparsableDocumentError } from './parsed-content.ts';
import { parsePdf } from './pdf-parser.ts';

/** Parsed text plus the content type it was read as. */
export interface ParsedDocument extends ParsedContent {
  contentType: string;
}

/**
 * Turns raw bytes into text by kind (see detectKind). `mimeType` is the Content-Type header
 * when there is one, `name` a file name or URL for the extension. Throws
 * UnparsableDocumentError for binary content of an unknown type, instead of indexing garbage.
 */
export async function parseDocument(bytes: Uint8Array, mimeType?: string, name?: string): Promise<ParsedDocument> {
  const kind = detectKind(bytes, mimeType, name);
  if (kind === 'binary') {
    const declared = mimeType === undefined ? '' : ` (declared as ${mimeType.split(';')[0]})`;
    throw new UnparsableDocumentError(
      `binary content of an unsupported type${declared}; supported: text, Markdown, HTML, PDF, DOCX`,
    );
  }
  const parsed = await parseKind(kind, bytes, charsetOf(mimeType));
  return { ...parsed, contentType: KIND_MIME[kind] };
}

async function parseKind(kind: DocumentKind, bytes: Uint8Array, charset: string | undefined): Promise<ParsedContent> {
  switch (kind) {
    case 'pdf':
      return parsePdf(bytes);
    case 'docx':
      return parseDocx(bytes);
    case 'html':
      return parseHtml(decodeText(bytes, charset ?? metaCharset(bytes)));
    case 'markdown':
      return parseMarkdown(decodeText(bytes, charset));
    case 'text':
      return { text: decodeText(bytes, charset) };
  }
}

/** The charset an HTML page declares in a `<meta>` tag within its first 2 KB, as browsers honour it. */
function metaCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  return /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1]?.toLowerCase();
}
