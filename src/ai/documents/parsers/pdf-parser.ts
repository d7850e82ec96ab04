import { extractText, getDocumentProxy } from 'unpdf';
import { type ParsedContent, UnparsableDocumentError } from './parsed-content.ts';

/** Text of every page, pages separated by a blank line; the title from the PDF's info dictionary. */
export async function parsePdf(bytes: Uint8Array): Promise<ParsedContent> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js transfers (detaches) the buffer it is given: pass a copy.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    throw new UnparsableDocumentError(`not a readable PDF (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    const { text } = await extractText(pdf, { mergePages: false });
    const joined = text
      .map((page) => page.trim())
      .filter((page) => page.length > 0)
      .join('\n\n');
    if (joined.length === 0) {
      throw new UnparsableDocumentError(
        `PDF has ${pdf.numPages} page(s) but no extractable text (scanned image?); run OCR first`,
      );
    }
    const metadata = await pdf.getMetadata().catch(() => undefined);
    const info = metadata?.info as { Title?: unknown } | undefined;
    const title = typeof info?.Title === 'string' && info.Title.trim() !== '' ? info.Title.trim() : undefined;
    return title === undefined ? { text: joined } : { text: joined, title };
  } finally {
    await pdf.destroy();
  }
}
