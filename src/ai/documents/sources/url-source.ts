import { DocumentLoadError, type HttpLimits } from '../loaded-document.ts';

/** What fetching a URL gave. */
export interface FetchedBody {
  bytes: Uint8Array;
  contentType?: string;
  /** The URL after redirects. */
  url: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Reads a body up to `maxBytes`, cancelling the stream beyond it so a huge body is never buffered. */
async function readCapped(response: Response, source: string, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new DocumentLoadError(
      source,
      `body of ${megabytes(declared)} exceeds the ${megabytes(maxBytes)} limit (http.maxBytes)`,
    );
  }
  if (response.body === null) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new DocumentLoadError(
        source,
        `body exceeds the ${megabytes(maxBytes)} limit (http.maxBytes); stopped reading`,
      );
    }
    parts.push(value);
  }
  return Buffer.concat(parts, total);
}

/**
 * Fetches one document over HTTP(S): bounded redirects, a timeout covering headers and body,
 * a size cap. Any failure is a DocumentLoadError naming the URL and the status or cause; an
 * abort of `signal` (task timeout or kill) is rethrown as is, so the caller stops.
 */
export async function fetchUrl(source: string, limits: HttpLimits, signal: AbortSignal): Promise<FetchedBody> {
  const timeoutMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = limits.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = AbortSignal.any([signal, timeout]);
  let url = source;
  try {
    for (let redirects = 0; ; redirects++) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new DocumentLoadError(source, `'${url}' is not a valid URL`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new DocumentLoadError(source, `unsupported protocol '${parsed.protocol}'; only http and https URLs load`);
      }
      const response = await fetch(parsed, { redirect: 'manual', signal: combined });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel();
        if (redirects >= maxRedirects) {
          throw new DocumentLoadError(source, `more than ${maxRedirects} redirects (last to ${location})`);
        }
        url = new URL(location, parsed).toString();
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        const via = url === source ? '' : ` (after redirect to ${url})`;
        throw new DocumentLoadError(source, `HTTP ${response.status} ${response.statusText}${via}`);
      }
      const bytes = await readCapped(response, source, maxBytes);
      const contentType = response.headers.get('content-type') ?? undefined;
      return contentType === undefined ? { bytes, url } : { bytes, url, contentType };
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof DocumentLoadError) throw error;
    if (timeout.aborted) {
      throw new DocumentLoadError(source, `timed out after ${timeoutMs} ms (http.timeoutMs)`, { cause: error });
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new DocumentLoadError(source, `request failed: ${cause}`, { cause: error });
  }
}
