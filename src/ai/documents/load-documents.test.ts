import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FileStorage, TaskLogger } from '../../plugin/run-context.ts';
import {
  DocumentLoadError,
  type DocumentSources,
  type LoadedDocument,
  type LoadOptions,
  listSources,
  loadDocumentResults,
  loadDocuments,
} from './index.ts';
import { makeDocx, makePdf } from './testing/document-fixtures.ts';

/** Internal storage backed by a map, as tasks see it. */
function memoryStorage(files: Record<string, Uint8Array>): FileStorage {
  return {
    put: async () => {
      throw new Error('not used');
    },
    get: async (uri) => {
      const data = files[uri];
      if (data === undefined) throw new Error(`no ${uri}`);
      return data;
    },
    exists: async (uri) => uri in files,
    size: async (uri) => files[uri]?.byteLength ?? 0,
    localPath: (uri) => uri,
  };
}

function recordingLogger(): TaskLogger & { warnings: string[] } {
  const warnings: string[] = [];
  const noop = () => {};
  return { warnings, log: noop, trace: noop, debug: noop, info: noop, error: noop, warn: (m) => warnings.push(m) };
}

async function collect(sources: DocumentSources, options: LoadOptions): Promise<LoadedDocument[]> {
  const documents: LoadedDocument[] = [];
  for await (const document of loadDocuments(sources, options)) documents.push(document);
  return documents;
}

let workDir: string;
let server: Server;
let baseUrl: string;

before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'windhover-documents-'));
  const docs = path.join(workDir, 'docs');
  await mkdir(path.join(docs, 'guide'), { recursive: true });
  await mkdir(path.join(docs, '.git'), { recursive: true });
  await mkdir(path.join(docs, 'node_modules', 'x'), { recursive: true });
  await writeFile(path.join(docs, 'b.md'), '---\ntitle: "Bee"\n---\n# Heading\nBody of b.');
  await writeFile(path.join(docs, 'a.txt'), '\ufeffPlain a, café.');
  await writeFile(path.join(docs, 'guide', 'c.md'), '# Guide C\n\nSee the guide.');
  await writeFile(path.join(docs, 'guide', 'skip.log'), 'log line');
  await writeFile(path.join(docs, 'empty.txt'), '   \n');
  await writeFile(path.join(docs, '.hidden.md'), 'hidden');
  await writeFile(path.join(docs, '.git', 'config.md'), 'git');
  await writeFile(path.join(docs, 'node_modules', 'x', 'readme.md'), 'dependency');

  server = createServer((request, response) => {
    const url = request.url ?? '/';
    if (url === '/text') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('Text over HTTP.');
    } else if (url === '/latin1') {
      response.writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' });
      response.end(Buffer.from('Caf\xe9 cr\xe8me', 'latin1'));
    } else if (url === '/redirect') {
      response.writeHead(302, { location: '/text' });
      response.end();
    } else if (url === '/loop') {
      response.writeHead(302, { location: '/loop' });
      response.end();
    } else if (url === '/slow') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('partial');
      // Never ends: the client's timeout must fire.
    } else if (url === '/huge') {
      // No content-length: the cap must stop the streaming read.
      response.writeHead(200, { 'content-type': 'text/plain' });
      const block = Buffer.alloc(64 * 1024, 97);
      let sent = 0;
      const pump = (): void => {
        while (sent < 64 && response.write(block)) sent++;
        if (sent < 64) response.once('drain', pump);
        else response.end();
      };
      response.on('error', () => {});
      pump();
    } else if (url === '/binary') {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0, 0, 0]));
    } else if (url === '/boom') {
      response.writeHead(503);
      response.end('down');
    } else {
      response.writeHead(404);
      response.end('missing');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(workDir, { recursive: true, force: true });
});

function options(extra: Partial<LoadOptions> = {}): LoadOptions & { logger: ReturnType<typeof recordingLogger> } {
  return {
    workingDirectory: workDir,
    signal: new AbortController().signal,
    storage: memoryStorage({ 'kestra:///ns/flow/file.md': new TextEncoder().encode('# Stored\nFrom storage.') }),
    logger: recordingLogger(),
    ...extra,
  } as LoadOptions & { logger: ReturnType<typeof recordingLogger> };
}

describe('loadDocuments', () => {
  test('fromPath walks recursively in a stable order, skipping hidden, node_modules and empty files', async () => {
    const opts = options();
    const documents = await collect({ fromPath: 'docs', exclude: ['**/*.log'] }, opts);
    assert.deepEqual(
      documents.map((document) => document.source),
      ['path:a.txt', 'path:b.md', 'path:guide/c.md'],
    );
    const [a, b, c] = documents;
    assert.equal(a?.text, 'Plain a, café.');
    assert.equal(b?.metadata.title, 'Bee');
    assert.equal(b?.metadata.contentType, 'text/markdown');
    assert.equal(c?.metadata.title, 'Guide C');
    assert.equal(c?.metadata.path, 'guide/c.md');
    assert.match(a?.contentHash ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(opts.logger.warnings, ["document 'path:empty.txt' has no text; skipped"]);
  });

  test('fromPath parses PDF and DOCX files and reports a binary file as a failed source, then goes on', async () => {
    const mixed = path.join(workDir, 'mixed');
    await mkdir(mixed, { recursive: true });
    await writeFile(path.join(mixed, 'a-report.pdf'), makePdf([['Revenue grew in the third quarter.']], 'Q3'));
    await writeFile(path.join(mixed, 'b-memo.docx'), await makeDocx(['Memo: ship the release on Friday.']));
    await writeFile(path.join(mixed, 'c-photo.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2]));
    await writeFile(path.join(mixed, 'd-notes.txt'), 'Plain notes.');
    const seen: string[] = [];
    for await (const result of loadDocumentResults({ fromPath: 'mixed' }, options())) {
      if ('error' in result) seen.push(`${result.failedSource} failed: ${result.error.message}`);
      else seen.push(`${result.document.source} ${result.document.metadata.contentType}: ${result.document.text}`);
    }
    assert.equal(seen[0], 'path:a-report.pdf application/pdf: Revenue grew in the third quarter.');
    assert.equal(
      seen[1],
      'path:b-memo.docx application/vnd.openxmlformats-officedocument.wordprocessingml.document: Memo: ship the release on Friday.',
    );
    assert.match(seen[2] ?? '', /^path:c-photo\.png failed: cannot load document 'path:c-photo\.png': binary content/);
    assert.equal(seen[3], 'path:d-notes.txt text/plain: Plain notes.');
  });

  test('include globs select files; an absolute fromPath works too', async () => {
    const documents = await collect({ fromPath: path.join(workDir, 'docs'), include: ['**/*.md'] }, options());
    assert.deepEqual(
      documents.map((document) => document.source),
      ['path:b.md', 'path:guide/c.md'],
    );
  });

  test('a missing fromPath fails naming the path and how it resolves', async () => {
    await assert.rejects(collect({ fromPath: 'nope' }, options()), (error: unknown) => {
      assert.ok(error instanceof DocumentLoadError);
      assert.match(error.message, /fromPath 'nope' does not exist/);
      return true;
    });
  });

  test('sources come in the reference order and inline documents keep their metadata', async () => {
    const documents = await collect(
      {
        fromExternalURLs: [`${baseUrl}/text`],
        fromInternalURIs: ['kestra:///ns/flow/file.md'],
        fromDocuments: [
          { content: 'First inline.', metadata: { id: 'faq-1', lang: 'en', tags: ['a', 'b'], score: 2 } },
          { content: 'Second inline.' },
        ],
        fromPath: 'docs/guide',
        include: ['*.md'],
      },
      options(),
    );
    assert.deepEqual(
      documents.map((document) => document.source),
      ['path:c.md', 'inline:faq-1', 'inline:1', 'kestra:///ns/flow/file.md', `${baseUrl}/text`],
    );
    assert.deepEqual(documents[1]?.metadata, {
      contentType: 'text/plain',
      id: 'faq-1',
      lang: 'en',
      tags: '["a","b"]',
      score: 2,
      source: 'inline:faq-1',
    });
    assert.equal(documents[3]?.metadata.title, 'Stored');
    assert.equal(documents[4]?.text, 'Text over HTTP.');
    assert.equal(documents[4]?.metadata.url, `${baseUrl}/text`);
  });

  test('inline content hash changes with the metadata, not with key order', async () => {
    const hash = async (metadata: Record<string, unknown>) =>
      (await collect({ fromDocuments: [{ content: 'same', metadata }] }, options()))[0]?.contentHash;
    assert.equal(await hash({ a: 1, b: 2 }), await hash({ b: 2, a: 1 }));
    assert.notEqual(await hash({ a: 1 }), await hash({ a: 2 }));
  });

  test('URLs follow redirects and honour the declared charset', async () => {
    const documents = await collect({ fromExternalURLs: [`${baseUrl}/redirect`, `${baseUrl}/latin1`] }, options());
    assert.equal(documents[0]?.text, 'Text over HTTP.');
    assert.equal(documents[0]?.source, `${baseUrl}/redirect`);
    assert.equal(documents[1]?.text, 'Café crème');
  });

  test('URL failures are DocumentLoadErrors naming the URL and the reason, and loading goes on', async () => {
    const urls = ['/missing', '/boom', '/loop', '/huge', '/binary', '/text'].map((p) => baseUrl + p);
    const results: { source: string; message: string }[] = [];
    for await (const result of loadDocumentResults(
      { fromExternalURLs: urls },
      options({ http: { timeoutMs: 20_000, maxBytes: 1024 * 1024, maxRedirects: 3 } }),
    )) {
      if ('error' in result) results.push({ source: result.failedSource, message: result.error.message });
      else results.push({ source: result.document.source, message: 'ok' });
    }
    assert.deepEqual(
      results.map((result) => result.source),
      urls,
    );
    const messages = results.map((result) => result.message);
    assert.match(messages[0] ?? '', /HTTP 404/);
    assert.match(messages[1] ?? '', /HTTP 503/);
    assert.match(messages[2] ?? '', /more than 3 redirects/);
    assert.match(messages[3] ?? '', /exceeds the 1\.0 MB limit/);
    assert.match(messages[4] ?? '', /binary content of an unsupported type \(declared as application\/octet-stream\)/);
    assert.equal(messages[5], 'ok');
  });

  test('a server that stops sending fails at the timeout, naming it', async () => {
    const results = [];
    for await (const result of loadDocumentResults(
      { fromExternalURLs: [`${baseUrl}/slow`] },
      options({ http: { timeoutMs: 200 } }),
    )) {
      results.push(result);
    }
    const [only] = results;
    assert.ok(only !== undefined && 'error' in only);
    assert.match(only.error.message, /slow': timed out after 200 ms \(http\.timeoutMs\)/);
  });

  test('loadDocuments throws at the first source that fails', async () => {
    await assert.rejects(
      collect({ fromExternalURLs: [`${baseUrl}/missing`] }, options()),
      /cannot load document .*missing.*HTTP 404/,
    );
    await assert.rejects(
      collect({ fromInternalURIs: ['kestra:///nope'] }, options()),
      /no such file in internal storage/,
    );
  });

  test('an aborted task stops loading with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('killed');
    setTimeout(() => controller.abort(reason), 50);
    await assert.rejects(
      collect({ fromExternalURLs: [`${baseUrl}/slow`] }, options({ signal: controller.signal })),
      reason,
    );
  });
});

describe('listSources', () => {
  test('lists every designated source without reading content', async () => {
    const listed = await listSources(
      {
        fromPath: 'docs',
        include: ['**/*.md'],
        fromDocuments: [{ content: 'x', metadata: { id: 7 } }, { content: 'y' }],
        fromInternalURIs: ['kestra:///a'],
        fromExternalURLs: ['https://example.invalid/x'],
      },
      options(),
    );
    assert.deepEqual(listed, [
      'path:b.md',
      'path:guide/c.md',
      'inline:7',
      'inline:1',
      'kestra:///a',
      'https://example.invalid/x',
    ]);
  });
});
