import type { RecordedRequest, WireReply } from '../../providers/testing/wire-server.ts';

/** A page of Tavily's `POST /search` answer. */
export interface TavilyPage {
  title: string;
  url: string;
  content: string;
  score: number;
}

/** Tavily's answer to `POST /search`, with the fields its API sends besides `results`. */
export function tavilyAnswer(results: TavilyPage[], query = ''): WireReply {
  return { json: { query, answer: null, results, response_time: 0.8 } };
}

/** A Tavily error: its body is `{"detail": {"error": message}}`. */
export function tavilyError(status: number, message: string, headers?: Record<string, string>): WireReply {
  return { status, ...(headers ? { headers } : {}), json: { detail: { error: message } } };
}

/** The API key a Tavily request carries in its JSON body. */
export function tavilyApiKey(request: RecordedRequest): string | undefined {
  return (request.body as { api_key?: string } | undefined)?.api_key;
}

/** A result item of the Google Custom Search JSON API. */
export interface GoogleItem {
  title: string;
  link: string;
  snippet: string;
}

/** The Custom Search JSON API's answer; like Google, it has no `items` when nothing was found. */
export function googleAnswer(items: GoogleItem[]): WireReply {
  return {
    json: {
      kind: 'customsearch#search',
      searchInformation: { totalResults: String(items.length) },
      ...(items.length > 0 ? { items: items.map((item) => ({ kind: 'customsearch#result', ...item })) } : {}),
    },
  };
}

const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
};

/** A Google API error: its body is `{"error": {"code", "message", "status"}}`. */
export function googleError(status: number, message: string): WireReply {
  return { status, json: { error: { code: status, message, status: GOOGLE_STATUS[status] ?? 'UNKNOWN' } } };
}
