import { z } from 'zod';
import { defineSubPlugin } from '../../plugin/define-plugin.ts';
import { dynamic } from '../../plugin/dynamic.ts';
import type { RetrieverImplementation } from './retriever-plugin.ts';
import { webSearchRetriever } from './web-search-retriever.ts';

const NAME = 'TavilyWebSearch';
/** Tavily's documented ceiling for `max_results`. */
const TAVILY_MAX_RESULTS = 20;

const tavilyResponse = z.object({
  results: z.array(
    z.object({
      title: z.string().nullish(),
      url: z.string(),
      content: z.string().nullish(),
      score: z.number().nullish(),
    }),
  ),
});

const implementation: RetrieverImplementation = {
  async open(properties, context) {
    const apiKey = String(properties.apiKey);
    const maxResults = Math.min(Number(properties.maxResults), TAVILY_MAX_RESULTS);
    const endpoint = `${String(properties.baseUrl).replace(/\/+$/, '')}/search`;
    return webSearchRetriever({
      name: NAME,
      maxResults,
      retry: context.retry,
      request: (query) => ({
        url: endpoint,
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          // api_key in the body too: older Tavily accounts only read it there.
          body: JSON.stringify({
            api_key: apiKey,
            query,
            max_results: maxResults,
            search_depth: 'basic',
            include_answer: false,
            include_raw_content: false,
          }),
        },
      }),
      authHint: 'check the retriever apiKey: a Tavily key starts with tvly-',
      statusHints: {
        432: 'the Tavily plan’s credit limit is reached; upgrade the plan or wait for the next period',
        433: 'the Tavily pay-as-you-go limit is reached; raise it in the Tavily dashboard',
      },
      answer: tavilyResponse,
      malformed:
        'the search answer has no results list of {url, title, content}; ' +
        "check the retriever's baseUrl points at Tavily's API",
      results: (answer) =>
        answer.results.map((result) => ({
          title: result.title ?? '',
          url: result.url,
          text: result.content ?? '',
          score: result.score ?? undefined,
        })),
    });
  },
};

/** `retriever.TavilyWebSearch`: a Tavily web search run for every prompt, its pages given as sources. */
export const tavilyWebSearchRetriever = defineSubPlugin({
  type: 'io.kestra.plugin.ai.retriever.TavilyWebSearch',
  aliases: ['io.kestra.plugin.langchain4j.retriever.TavilyWebSearch'],
  category: 'retriever',
  title: 'Tavily web search',
  description:
    'Searches the web with Tavily for the prompt on every run and hands the pages found to the model as ' +
    'sources (title and text; `url` and `title` in each source’s metadata).',
  properties: z.object({
    apiKey: dynamic(z.string().min(1)).describe('Tavily API key, e.g. "{{ secret(\'TAVILY_API_KEY\') }}".'),
    maxResults: dynamic(z.int().min(0).max(TAVILY_MAX_RESULTS))
      .default(3)
      .describe('Pages to retrieve (Tavily allows up to 20).'),
    baseUrl: dynamic(z.url())
      .default('https://api.tavily.com')
      .describe('Windhover extension: the Tavily API root, for a proxy or a test server.'),
  }),
  implementation,
  examples: [
    {
      title: 'Answer with a live web search',
      code: `id: rag_with_websearch
namespace: company.ai
tasks:
  - id: chat
    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.kestra.plugin.ai.provider.OpenAI
      apiKey: "{{ secret('OPENAI_API_KEY') }}"
      modelName: gpt-5-mini
    contentRetrievers:
      - type: io.kestra.plugin.ai.retriever.TavilyWebSearch
        apiKey: "{{ secret('TAVILY_API_KEY') }}"
    prompt: What is the latest release of Kestra?
`,
    },
  ],
});
