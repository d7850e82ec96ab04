import { z } from 'zod';
import { defineSubPlugin } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import type { RetrieverImplementation } from './retriever-plugin.ts';
import { webSearchRetriever } from './web-search-retriever.ts';

const NAME = 'GoogleCustomWebSearch';
/** The Custom Search JSON API returns at most 10 results per request (`num`). */
const GOOGLE_MAX_RESULTS = 10;

const googleResponse = z.object({
  // Absent when the search found nothing.
  items: z.array(z.object({ title: z.string().nullish(), link: z.string(), snippet: z.string().nullish() })).optional(),
});

const implementation: RetrieverImplementation = {
  async open(properties, context) {
    const apiKey = String(properties.apiKey);
    const cx = String(properties.csi);
    const maxResults = Math.min(Number(properties.maxResults), GOOGLE_MAX_RESULTS);
    const baseUrl = String(properties.baseUrl);
    return webSearchRetriever({
      name: NAME,
      maxResults,
      retry: context.retry,
      request: (query) => {
        const url = new URL(baseUrl);
        url.searchParams.set('key', apiKey);
        url.searchParams.set('cx', cx);
        url.searchParams.set('q', query);
        url.searchParams.set('num', String(maxResults));
        return { url: url.toString(), init: { method: 'GET', headers: { accept: 'application/json' } } };
      },
      authHint:
        'check the retriever apiKey (a Google Cloud API key with the Custom Search API enabled) and csi (the search engine id)',
      answer: googleResponse,
      malformed:
        "the search answer's items are not a list of {link, title, snippet}; " +
        "check the retriever's baseUrl points at the Custom Search JSON API",
      results: (answer) =>
        (answer.items ?? []).map((item) => ({ title: item.title ?? '', url: item.link, text: item.snippet ?? '' })),
    });
  },
};

/** `retriever.GoogleCustomWebSearch`: a Google Programmable Search run for every prompt. */
export const googleCustomWebSearchRetriever = defineSubPlugin({
  type: 'io.kestra.plugin.ai.retriever.GoogleCustomWebSearch',
  aliases: ['io.kestra.plugin.langchain4j.retriever.GoogleCustomWebSearch'],
  category: 'retriever',
  title: 'Google Custom Search',
  description:
    'Searches the web with the Google Custom Search JSON API (a Programmable Search Engine) for the prompt on ' +
    'every run and hands the results to the model as sources (title and snippet; `url` and `title` in metadata).',
  properties: z.object({
    apiKey: dynamic(z.string().min(1)).describe(
      'Google Cloud API key with the Custom Search API enabled, e.g. "{{ secret(\'GOOGLE_SEARCH_API_KEY\') }}".',
    ),
    csi: dynamic(z.string().min(1)).describe('The Programmable Search Engine id (the API’s `cx`).'),
    maxResults: dynamic(z.int().min(0).max(GOOGLE_MAX_RESULTS))
      .default(3)
      .describe('Results to retrieve (the API allows up to 10).'),
    baseUrl: dynamic(z.url())
      .default('https://www.googleapis.com/customsearch/v1')
      .describe('Windhover extension: the Custom Search endpoint, for a proxy or a test server.'),
  }),
  implementation,
  examples: [
    {
      title: 'Answer with Google search results',
      code: `id: rag
namespace: company.ai
tasks:
  - id: chat
    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini-2.5-flash
      apiKey: "{{ secret('GEMINI_API_KEY') }}"
    contentRetrievers:
      - type: io.kestra.plugin.ai.retriever.GoogleCustomWebSearch
        apiKey: "{{ secret('GOOGLE_SEARCH_API_KEY') }}"
        csi: "{{ secret('GOOGLE_SEARCH_CSI') }}"
    prompt: What is the latest release of Kestra?
`,
    },
  ],
});
