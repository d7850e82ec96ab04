/** The document kinds the parsers understand. */
export type DocumentKind = 'text' | 'markdown' | 'html' | 'pdf' | 'docx';

const BY_EXTENSION: Record<string, DocumentKind> = {
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'markdown',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  pdf: 'pdf',
  docx: 'docx',
};

const BY_MIME: Record<string, DocumentKind> = {
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

/** The MIME type each kind is reported as in metadata. */
export const KIND_MIME: Record<DocumentKind, string> = {
  text: 'text/plain',
  markdown: 'text/markdown',
  html: 'text/html',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

/** Looks at the first bytes: PDF and ZIP signatures, HTML markers, NUL bytes for binary. */
function sniff(bytes: Uint8Array): DocumentKind | 'binary' | undefined {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'docx';
  const head = bytes.subarray(0, 8192);
  // UTF-16 text has NUL bytes too; its byte-order mark says it is text.
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  if (!utf16 && head.includes(0)) return 'binary';
  const start = new TextDecoder('utf-8').decode(head.subarray(0, 1024)).trimStart().slice(0, 64).toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'html';
  return undefined;
}

/**
 * Decides how to parse a document: the MIME type first (when it names a kind we parse),
 * then the file extension, then the content itself. `text/plain` and unknown types fall
 * back to sniffing, so a PDF served as application/octet-stream still parses. Returns
 * 'binary' for content that is neither a known format nor text.
 */
export function detectKind(bytes: Uint8Array, mimeType?: string, name?: string): DocumentKind | 'binary' {
  const mime = mimeType?.split(';')[0]?.trim().toLowerCase();
  const fromMime = mime === undefined ? undefined : BY_MIME[mime];
  if (fromMime !== undefined) return fromMime;
  const extension = name === undefined ? undefined : /\.([a-z0-9]+)$/i.exec(name.split(/[?#]/)[0] ?? '')?.[1];
  const fromExtension = extension === undefined ? undefined : BY_EXTENSION[extension.toLowerCase()];
  const sniffed = sniff(bytes);
  // Magic bytes are more reliable than a name; a NUL byte means no text kind can apply.
  if (sniffed === 'pdf' || sniffed === 'docx' || sniffed === 'binary') return sniffed;
  return fromExtension ?? sniffed ?? 'text';
}
