import type { RetrievedContent } from './content-retriever.ts';

/** One page a web search found, as every search service's answer is read. */
export interface WebSearchResult {
  title: string;
  url: string;
  /** The page text or snippet the service returned. */
  text: string;
  /** The service's own relevance, when it gives one. */
  score?: number | undefined;
}

/**
 * One web result as the model reads it: the title on the first line, then the page text, as
 * LangChain4j's web search retriever does; `url` and `title` stay in the metadata for citing.
 */
export function webResultContent(retriever: string, result: WebSearchResult): RetrievedContent {
  const content = result.title ? `${result.title}\n${result.text}` : result.text;
  return {
    content,
    metadata: { retriever, url: result.url, title: result.title },
    ...(result.score === undefined ? {} : { score: result.score }),
    id: result.url,
  };
}
