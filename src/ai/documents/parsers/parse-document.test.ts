import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import JSZip from 'jszip';
import { makeDocx, makePdf } from '../testing/document-fixtures.ts';
import { parseDocument } from './parse-document.ts';

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
