import type { z } from 'zod';
import { MalformedResponseError } from '../errors.ts';
import type { RetryOptions } from '../providers/retry-policy.ts';
import type { ContentRetrieverV1 } from './content-retriever.ts';
import { fetchSearchJson } from './web-search-http.ts';
import { type WebSearchResult, webResultContent } from './web-search-result.ts';

/** How one web search service is asked and read; the rest of a search is the same for all. */
export interface WebSearchService<Answer> {
  /** Short name for logs and errors, also each result's `metadata.retriever`, e.g. `TavilyWebSearch`. */
  name: string;
  /** Results per query, already capped at the service's ceiling; 0 sends no request at all. */
  maxResults: number;
  retry?: RetryOptions | undefined;
  /** The HTTP request that searches for `query`. */
  request(query: string): { url: string; init: RequestInit };
  /** What a 401/403 means for this service, e.g. "check the retriever apiKey". */
  authHint: string;
  /** Service-specific statuses worth explaining, e.g. Tavily's 432 (plan limit). */
  statusHints?: Record<number, string>;
  /** The part of the JSON answer that is read; other fields are ignored. */
  answer: z.ZodType<Answer>;
  /** The error when the answer does not match `answer`: what is wrong and what to check. */
  malformed: string;
  /** The pages of a parsed answer, best first. */
  results(answer: Answer): WebSearchResult[];
}

/**
 * A content retriever that runs one web search per query: the request goes through the shared
 * retry policy (`fetchSearchJson`), the answer is checked against the service's schema, and at
 * most `maxResults` pages become sources (title then text; `url` and `title` in the metadata).
 */
export function webSearchRetriever<Answer>(service: WebSearchService<Answer>): ContentRetrieverV1 {
  const { name, maxResults } = service;
  return {
    specificationVersion: 'v1',
    name,
    async retrieve(query, { signal }) {
      if (maxResults <= 0) return [];
      const { url, init } = service.request(query);
      const body = await fetchSearchJson({
        retriever: name,
        url,
        init,
        signal,
        retry: service.retry,
        authHint: service.authHint,
        statusHints: service.statusHints,
      });
      const parsed = service.answer.safeParse(body);
      if (!parsed.success) throw new MalformedResponseError(`${name}: ${service.malformed}`, { provider: name });
      return service
        .results(parsed.data)
        .slice(0, maxResults)
        .map((result) => webResultContent(name, result));
    },
  };
}
