import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { PluginConfig } from '../../plugin/plugin-ref.ts';
import { PluginRegistry } from '../../plugin/plugin-registry.ts';
import { FAST_RETRY, startWireServer, testProviderContext } from '../providers/testing/wire-server.ts';
import { retrieverPlugins } from './index.ts';
import { openContentRetriever, type RetrieverOpenContext } from './retriever-plugin.ts';
import { googleAnswer, googleError, tavilyAnswer, tavilyError } from './testing/web-search-replies.ts';

const registry = new PluginRegistry().register(...retrieverPlugins);
const signal = new AbortController().signal;
const servers: { close(): Promise<void> }[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

function context(): RetrieverOpenContext {
  return {
    ...testProviderContext(),
    namespace: 'company.ai',
    flowId: 'rag',
    registry,
    retry: FAST_RETRY,
  };
}

const TAVILY = 'io.kestra.plugin.ai.retriever.TavilyWebSearch';
const GOOGLE = 'io.kestra.plugin.ai.retriever.GoogleCustomWebSearch';

/**
 * A wire-format server answering with `reply`, and the retriever `config` describes opened
 * against it (`baseUrl` is the server's URL followed by `path`).
 */
async function searchAgainst(reply: Parameters<typeof startWireServer>[0], config: PluginConfig, path = '') {
  const started = await startWireServer(reply);
  servers.push(started);
  const retriever = await openContentRetriever(registry, { ...config, baseUrl: `${started.url}${path}` }, context());
  return { url: started.url, requests: started.requests, retriever };
}

describe('TavilyWebSearch retriever', () => {
  test('wire-format: POSTs the query to /search and returns each page with url, title and score', async () => {
    const { requests, retriever } = await searchAgainst(
      () =>
        tavilyAnswer(
          [
            { title: 'Kestra 1.3', url: 'https://kestra.io/blogs/1.3', content: 'Kestra 1.3 is out.', score: 0.91 },
            { title: 'Changelog', url: 'https://kestra.io/changelog', content: 'All releases.', score: 0.52 },
          ],
          'latest kestra release',
        ),
      { type: TAVILY, apiKey: 'tvly-secret', maxResults: 2 },
    );
    const found = await retriever.retrieve('latest kestra release', { signal });
    const request = requests[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/search');
    assert.equal(request.headers.authorization, 'Bearer tvly-secret');
    assert.deepEqual(request.body, {
      api_key: 'tvly-secret',
      query: 'latest kestra release',
      max_results: 2,
      search_depth: 'basic',
      include_answer: false,
      include_raw_content: false,
    });
    assert.deepEqual(found[0], {
      content: 'Kestra 1.3\nKestra 1.3 is out.',
      metadata: { retriever: 'TavilyWebSearch', url: 'https://kestra.io/blogs/1.3', title: 'Kestra 1.3' },
      score: 0.91,
      id: 'https://kestra.io/blogs/1.3',
    });
    assert.equal(found.length, 2);
  });

  test('wire-format: maxResults defaults to 3', async () => {
    const { requests, retriever } = await searchAgainst(() => tavilyAnswer([]), { type: TAVILY, apiKey: 'k' });
    assert.deepEqual(await retriever.retrieve('q', { signal }), []);
    assert.equal((requests[0]!.body as { max_results: number }).max_results, 3);
  });

  test('wire-format: a 401 names the retriever and the apiKey, and is not retried', async () => {
    const { requests, retriever } = await searchAgainst(
      () => tavilyError(401, 'Unauthorized: missing or invalid API key.'),
      { type: TAVILY, apiKey: 'bad' },
    );
    await assert.rejects(retriever.retrieve('q', { signal }), (error: Error & { isRetryable?: boolean }) => {
      assert.match(error.message, /^TavilyWebSearch: web search failed with HTTP 401 \(check the retriever apiKey/);
      assert.match(error.message, /invalid API key/);
      assert.equal(error.isRetryable, false);
      return true;
    });
    assert.equal(requests.length, 1);
  });

  test('wire-format: a 429 is retried through the shared retry policy and then succeeds', async () => {
    const { requests, retriever } = await searchAgainst(
      (_request, index) =>
        index === 0
          ? tavilyError(429, 'rate limit', { 'retry-after': '0' })
          : tavilyAnswer([{ title: 'T', url: 'https://a.example', content: 'C', score: 0.5 }]),
      { type: TAVILY, apiKey: 'k' },
    );
    const found = await retriever.retrieve('q', { signal });
    assert.equal(found.length, 1);
    assert.equal(requests.length, 2);
  });

  test('wire-format: a 429 that never ends reports the retriever, the status and the attempts', async () => {
    const { requests, retriever } = await searchAgainst(() => tavilyError(429, 'rate limit'), {
      type: TAVILY,
      apiKey: 'k',
    });
    await assert.rejects(
      retriever.retrieve('q', { signal }),
      /TavilyWebSearch: web search still failing after 3 attempts.*HTTP 429 \(rate limit/,
    );
    assert.equal(requests.length, 3);
  });

  test('wire-format: a body that is not JSON, or JSON without results, is a clear error', async () => {
    const html = await searchAgainst(() => ({ text: '<html>proxy login</html>' }), { type: TAVILY, apiKey: 'k' });
    await assert.rejects(html.retriever.retrieve('q', { signal }), /TavilyWebSearch: .*not JSON.*proxy login.*baseUrl/);
    assert.equal(html.requests.length, 1);
    const odd = await searchAgainst(() => ({ json: { hits: [] } }), { type: TAVILY, apiKey: 'k' });
    await assert.rejects(
      odd.retriever.retrieve('q', { signal }),
      /TavilyWebSearch: the search answer has no results list/,
    );
  });

  test('wire-format: Tavily’s plan-limit status 432 is explained and not retried', async () => {
    const { requests, retriever } = await searchAgainst(() => tavilyError(432, 'This request exceeds your plan'), {
      type: TAVILY,
      apiKey: 'k',
    });
    await assert.rejects(
      retriever.retrieve('q', { signal }),
      /HTTP 432 \(the Tavily plan’s credit limit is reached.*exceeds your plan/,
    );
    assert.equal(requests.length, 1);
  });

  test('a missing apiKey is reported with its property path', async () => {
    await assert.rejects(
      openContentRetriever(registry, { type: TAVILY }, context(), 'contentRetrievers[0]'),
      /contentRetrievers\[0\]\.apiKey/,
    );
  });
});

describe('GoogleCustomWebSearch retriever', () => {
  test('wire-format: GETs with key, cx, q and num, and returns each item with link and title', async () => {
    const {
      url: serverUrl,
      requests,
      retriever,
    } = await searchAgainst(
      () =>
        googleAnswer([
          { title: 'Kestra releases', link: 'https://github.com/kestra-io/kestra/releases', snippet: 'v1.3.17' },
          { title: 'Blog', link: 'https://kestra.io/blogs', snippet: 'News' },
        ]),
      { type: GOOGLE, apiKey: 'g-key', csi: 'engine-1' },
      '/customsearch/v1',
    );
    const found = await retriever.retrieve('latest kestra release', { signal });
    const url = new URL(requests[0]!.url, serverUrl);
    assert.equal(requests[0]?.method, 'GET');
    assert.equal(url.pathname, '/customsearch/v1');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      key: 'g-key',
      cx: 'engine-1',
      q: 'latest kestra release',
      num: '3',
    });
    assert.deepEqual(found[0], {
      content: 'Kestra releases\nv1.3.17',
      metadata: {
        retriever: 'GoogleCustomWebSearch',
        url: 'https://github.com/kestra-io/kestra/releases',
        title: 'Kestra releases',
      },
      id: 'https://github.com/kestra-io/kestra/releases',
    });
  });

  test('wire-format: no items means no results', async () => {
    const { retriever } = await searchAgainst(() => googleAnswer([]), { type: GOOGLE, apiKey: 'k', csi: 'c' });
    assert.deepEqual(await retriever.retrieve('nothing', { signal }), []);
  });

  test('wire-format: a 403 gives Google’s message and names apiKey and csi, without leaking the key', async () => {
    const { retriever } = await searchAgainst(
      () => googleError(403, 'Custom Search API has not been used in project 1 before'),
      { type: GOOGLE, apiKey: 'very-secret-key', csi: 'c' },
    );
    await assert.rejects(retriever.retrieve('q', { signal }), (error: Error & { url?: string }) => {
      assert.match(
        error.message,
        /GoogleCustomWebSearch: web search failed with HTTP 403 \(check the retriever apiKey.*csi/,
      );
      assert.match(error.message, /has not been used in project/);
      assert.doesNotMatch(`${error.message} ${error.url}`, /very-secret-key/);
      return true;
    });
  });

  test('wire-format: a 500 is retried, a malformed item list is a clear error', async () => {
    const { requests, retriever } = await searchAgainst(
      (_request, index) => (index === 0 ? googleError(500, 'backend') : { json: { items: [{ title: 'no link' }] } }),
      { type: GOOGLE, apiKey: 'k', csi: 'c' },
    );
    await assert.rejects(
      retriever.retrieve('q', { signal }),
      /GoogleCustomWebSearch: the search answer's items are not a list/,
    );
    assert.equal(requests.length, 2);
  });
});
