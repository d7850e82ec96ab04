import mammoth from 'mammoth';
import { type ParsedContent, UnparsableDocumentError } from './parsed-content.ts';

/** The raw text of a Word (.docx) document, paragraphs separated by blank lines. */
export async function parseDocx(bytes: Uint8Array): Promise<ParsedContent> {
  try {
    const result = await mammoth.extractRawText({
      buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    });
    return { text: result.value.replace(/\n{3,}/g, '\n\n').trim() };
  } catch (error) {
    throw new UnparsableDocumentError(
      `not a readable DOCX (${error instanceof Error ? error.message : String(error)}); other ZIP-based formats are not supported`,
    );
  }
}
