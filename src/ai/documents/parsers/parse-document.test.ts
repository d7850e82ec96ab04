import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import JSZip from 'jszip';
import { parseDocument } from './parse-document.ts';

/** A minimal valid PDF: one page per entry, each drawing its lines with a base font, or nothing at all. */
function makePdf(pages: string[][], title?: string): Uint8Array {
  const objects: string[] = [];
  const pageIds: number[] = [];
  // 1: catalog, 2: pages, 3: font, 4: info; pages and contents follow.
  let next = 5;
  const bodies: string[] = [];
  for (const lines of pages) {
    const pageId = next++;
    const contentId = next++;
    pageIds.push(pageId);
    const ops = lines
      .map((line, i) => `BT /F1 12 Tf 72 ${720 - i * 16} Td (${line.replace(/[()\\]/g, '\\$&')}) Tj ET`)
      .join('\n');
    bodies[pageId] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentId} 0 R >>`;
    bodies[contentId] = `<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`;
  }
  bodies[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  bodies[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
  bodies[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  bodies[4] = title === undefined ? '<< >>' : `<< /Title (${title}) >>`;
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < next; id++) {
    offsets[id] = pdf.length;
    objects.push(`${id} 0 obj\n${bodies[id]}\nendobj\n`);
    pdf += objects[objects.length - 1];
  }
  const xref = pdf.length;
  pdf += `xref\n0 ${next}\n0000000000 65535 f \n`;
  for (let id = 1; id < next; id++) pdf += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${next} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

async function makeDocx(paragraphs: string[]): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  const body = paragraphs.map((text) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`).join('');
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: 'uint8array' });
}

const encode = (text: string) => new TextEncoder().encode(text);

describe('parseDocument', () => {
  test('PDF: text of every page in order, title from the info dictionary', async () => {
    const pdf = makePdf([['Hello from page one.', 'Second line.'], ['Page two text.']], 'Quarterly report');
    const parsed = await parseDocument(pdf, undefined, 'report.pdf');
    assert.equal(parsed.contentType, 'application/pdf');
    assert.equal(parsed.title, 'Quarterly report');
    assert.match(parsed.text, /Hello from page one\.\s+Second line\.\s+Page two text\./);
  });

  test('PDF without a text layer fails clearly instead of giving an empty document', async () => {
    const scanned = makePdf([[], []]);
    await assert.rejects(
      parseDocument(scanned, 'application/pdf'),
      /2 page\(s\) but no extractable text \(scanned image\?\)/,
    );
  });

  test('a corrupt PDF fails naming the format', async () => {
    await assert.rejects(parseDocument(encode('%PDF-1.4\nnot really'), 'application/pdf'), /not a readable PDF/);
  });

  test('DOCX: paragraphs as text, detected by signature even without a name', async () => {
    const docx = await makeDocx(['Windhover ingests Word files.', 'Second paragraph.']);
    const parsed = await parseDocument(docx, 'application/octet-stream');
    assert.equal(parsed.contentType, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    assert.equal(parsed.text, 'Windhover ingests Word files.\n\nSecond paragraph.');
  });

  test('a ZIP that is not a Word document fails clearly', async () => {
    const zip = new JSZip();
    zip.file('data.csv', 'a,b\n1,2\n');
    await assert.rejects(parseDocument(await zip.generateAsync({ type: 'uint8array' })), /not a readable DOCX/);
  });

  test('HTML: the article text without navigation, scripts or markup, and the <title>', async () => {
    const article = Array.from(
      { length: 6 },
      (_, i) =>
        `<p>Paragraph ${i + 1} explains how hybrid search fuses keyword and vector rankings for better recall.</p>`,
    ).join('\n');
    const html = `<!doctype html><html><head><title>Hybrid search</title><script>var tracking = 1;</script>
      <style>body { color: red }</style></head><body>
      <nav><a href="/">Home</a> | <a href="/blog">Blog</a></nav>
      <article><h1>Hybrid search</h1>${article}</article>
      <footer>Copyright footer text</footer><script>alert('x')</script></body></html>`;
    const parsed = await parseDocument(encode(html), 'text/html; charset=utf-8');
    assert.equal(parsed.title, 'Hybrid search');
    assert.match(parsed.text, /Paragraph 1 explains/);
    assert.match(parsed.text, /Paragraph 6 explains/);
    assert.doesNotMatch(parsed.text, /tracking|alert|color: red|<p>|Copyright footer/);
    assert.match(parsed.text, /rankings for better recall\.\n\nParagraph 2/);
  });

  test('HTML too short for an article falls back to the body text', async () => {
    const parsed = await parseDocument(
      encode('<html><body><nav>Menu</nav><div>Short note.</div><script>x()</script></body></html>'),
      undefined,
      'page.html',
    );
    assert.equal(parsed.text, 'Short note.');
  });

  test('HTML: the charset of a <meta> tag applies when the server sends none', async () => {
    const html = Buffer.from(
      '<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head><body><p>Cr\xe8me br\xfbl\xe9e</p></body></html>',
      'latin1',
    );
    const parsed = await parseDocument(html, 'text/html');
    assert.equal(parsed.title, 'Café');
    assert.equal(parsed.text, 'Crème brûlée');
  });

  test('text: UTF-8 with BOM, latin1 bytes without a charset, UTF-16 with BOM', async () => {
    assert.equal((await parseDocument(encode('\ufeffHéllo'), 'text/plain')).text, 'Héllo');
    assert.equal((await parseDocument(Buffer.from('Caf\xe9', 'latin1'), undefined, 'a.txt')).text, 'Café');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('日本語', 'utf16le')]);
    assert.equal((await parseDocument(utf16, undefined, 'ja.txt')).text, '日本語');
  });

  test('binary content of an unknown type is refused, whatever its name says', async () => {
    const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    await assert.rejects(parseDocument(binary, undefined, 'image.png'), /binary content of an unsupported type/);
    await assert.rejects(parseDocument(binary, undefined, 'notes.md'), /binary content/);
  });
});
