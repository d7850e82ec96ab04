import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { httpDownloadTask } from './http-download-task.ts';
import { httpRequestTask } from './http-request-task.ts';
import { createTestContext, runTask } from './test-context.ts';

async function readAll(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

let server: Server;
let base = '';
const ctx = createTestContext();

before(async () => {
  server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const body = await readAll(request);
    switch (url.pathname) {
      case '/echo':
        response.setHeader('content-type', 'application/json');
        response.setHeader('set-cookie', ['a=1', 'b=2']);
        response.end(JSON.stringify({ method: request.method, headers: request.headers, body, query: url.search }));
        return;
      case '/status':
        response.statusCode = Number(url.searchParams.get('code'));
        response.end(`status ${url.searchParams.get('code')}`);
        return;
      case '/redirect':
        response.statusCode = 302;
        response.setHeader('location', '/echo');
        response.end();
        return;
      case '/big':
        response.end('x'.repeat(Number(url.searchParams.get('size'))));
        return;
      case '/empty':
        response.end();
        return;
      case '/file':
        response.setHeader('content-disposition', 'attachment; filename="report 2024.csv"');
        response.end('a,b\n1,2\n');
        return;
      case '/slow':
        setTimeout(() => response.end('late'), 5_000).unref();
        return;
      default:
        response.statusCode = 404;
        response.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  ctx.dispose();
});

describe('http.Request', () => {
  test('GET returns code, headers and the body as text', async () => {
    const output = await runTask(httpRequestTask, ctx, { uri: `${base}/echo?x=1`, headers: { 'X-Trace': 'abc' } });
    assert.equal(output.code, 200);
    const echoed = JSON.parse(String(output.body));
    assert.equal(echoed.method, 'GET');
    assert.equal(echoed.headers['x-trace'], 'abc');
    assert.equal(echoed.query, '?x=1');
    const headers = output.headers as Record<string, string[]>;
    assert.deepEqual(headers['content-type'], ['application/json']);
    assert.deepEqual(headers['set-cookie'], ['a=1', 'b=2']);
  });

  test('POST sends the body with the content type (JSON by default)', async () => {
    const output = await runTask(httpRequestTask, ctx, { uri: `${base}/echo`, method: 'POST', body: '{"a":1}' });
    const echoed = JSON.parse(String(output.body));
    assert.equal(echoed.body, '{"a":1}');
    assert.equal(echoed.headers['content-type'], 'application/json');
    const text = await runTask(httpRequestTask, ctx, {
      uri: `${base}/echo`,
      method: 'PUT',
      body: 'plain',
      contentType: 'text/plain',
    });
    assert.equal(JSON.parse(String(text.body)).headers['content-type'], 'text/plain');
  });

  test('formData is sent url-encoded, or multipart when asked', async () => {
    const output = await runTask(httpRequestTask, ctx, {
      uri: `${base}/echo`,
      method: 'POST',
      formData: { q: 'a b', n: 1 },
    });
    const echoed = JSON.parse(String(output.body));
    assert.equal(echoed.body, 'q=a+b&n=1');
    assert.equal(echoed.headers['content-type'], 'application/x-www-form-urlencoded');
    const multipart = await runTask(httpRequestTask, ctx, {
      uri: `${base}/echo`,
      method: 'POST',
      formData: { q: 'value' },
      contentType: 'multipart/form-data',
    });
    const parsed = JSON.parse(String(multipart.body));
    assert.match(parsed.headers['content-type'], /^multipart\/form-data; boundary=/);
    assert.match(parsed.body, /name="q"\r\n\r\nvalue/);
  });

  test('basic and bearer authentication', async () => {
    const basic = await runTask(httpRequestTask, ctx, {
      uri: `${base}/echo`,
      options: { auth: { type: 'BASIC', username: 'u', password: 'p' } },
    });
    assert.equal(
      JSON.parse(String(basic.body)).headers.authorization,
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    );
    const bearer = await runTask(httpRequestTask, ctx, {
      uri: `${base}/echo`,
      options: { auth: { type: 'BEARER', token: 't0k' } },
    });
    assert.equal(JSON.parse(String(bearer.body)).headers.authorization, 'Bearer t0k');
  });

  test('a 4xx/5xx fails with the status and body, unless allowFailed', async () => {
    await assert.rejects(
      runTask(httpRequestTask, ctx, { uri: `${base}/status?code=503` }),
      /returned HTTP 503 Service Unavailable: status 503/,
    );
    const output = await runTask(httpRequestTask, ctx, { uri: `${base}/status?code=404`, allowFailed: true });
    assert.equal(output.code, 404);
    const allowed = await runTask(httpRequestTask, ctx, {
      uri: `${base}/status?code=409`,
      options: { allowedResponseCodes: [409] },
    });
    assert.equal(allowed.code, 409);
  });

  test('redirects are followed unless disabled', async () => {
    assert.equal((await runTask(httpRequestTask, ctx, { uri: `${base}/redirect` })).code, 200);
    const manual = await runTask(httpRequestTask, ctx, {
      uri: `${base}/redirect`,
      options: { followRedirects: false },
    });
    assert.equal(manual.code, 302);
    assert.deepEqual((manual.headers as Record<string, string[]>).location, ['/echo']);
  });

  test('the response size is capped', async () => {
    await assert.rejects(
      runTask(httpRequestTask, ctx, { uri: `${base}/big?size=5000`, options: { maxContentLength: 1000 } }),
      /exceeds 1000 bytes; raise options.maxContentLength/,
    );
  });

  test('a read timeout fails the request with a clear error', async () => {
    await assert.rejects(
      runTask(httpRequestTask, ctx, { uri: `${base}/slow`, options: { timeout: { readIdleTimeout: 'PT0.2S' } } }),
      /timed out after 200 ms/,
    );
  });

  test('the run signal aborts the request', async () => {
    const killed = createTestContext();
    const pending = runTask(httpRequestTask, killed, { uri: `${base}/slow` });
    killed.abort(new Error('killed'));
    await assert.rejects(pending, /killed/);
    killed.dispose();
  });

  test('bad URLs are reported with the property', async () => {
    await assert.rejects(
      runTask(httpRequestTask, ctx, { uri: 'not a url' }),
      /property uri: 'not a url' is not an absolute URL/,
    );
    await assert.rejects(
      runTask(httpRequestTask, ctx, { uri: 'file:///etc/passwd' }),
      /protocol 'file:' is not supported/,
    );
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(runTask(httpRequestTask, ctx, { uri: `http://127.0.0.1:${port}/` }), /failed: ECONNREFUSED/);
  });
});

describe('http.Download', () => {
  test('stores the body and outputs uri, code, length and headers', async () => {
    const output = await runTask(httpDownloadTask, ctx, { uri: `${base}/file` });
    assert.equal(output.code, 200);
    assert.equal(output.length, 8);
    assert.match(String(output.uri), /^kestra:\/\/\/.*report_2024\.csv$/);
    assert.equal(Buffer.from(await ctx.storage.get(String(output.uri))).toString(), 'a,b\n1,2\n');
    assert.ok((output.headers as Record<string, string[]>)['content-disposition']);
  });

  test('an empty response fails unless failOnEmptyResponse is false', async () => {
    await assert.rejects(runTask(httpDownloadTask, ctx, { uri: `${base}/empty` }), /empty body/);
    const output = await runTask(httpDownloadTask, ctx, { uri: `${base}/empty`, failOnEmptyResponse: false });
    assert.equal(output.length, 0);
  });

  test('an error status fails the download', async () => {
    await assert.rejects(runTask(httpDownloadTask, ctx, { uri: `${base}/status?code=404` }), /returned HTTP 404/);
  });

  test('the download size is capped', async () => {
    await assert.rejects(
      runTask(httpDownloadTask, ctx, { uri: `${base}/big?size=100000`, options: { maxContentLength: 1000 } }),
      /download of .* exceeds 1000 bytes/,
    );
  });

  test('saveAs names the stored file', async () => {
    const output = await runTask(httpDownloadTask, ctx, { uri: `${base}/big?size=10`, saveAs: 'ten.txt' });
    assert.match(String(output.uri), /ten\.txt$/);
  });
});
