/** A retrieved chunk as RAG tasks output it: `{content, metadata, score?}`. */
export interface Source {
  content?: string;
  metadata?: Record<string, unknown>;
  score?: number;
  id?: string;
  title?: string;
}

/** Every `sources` list found anywhere in some outputs (task outputs or flow outputs). */
export function findSources(value: unknown, depth = 0): Source[] {
  if (depth > 6 || typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => findSources(v, depth + 1));
  const out: Source[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (key === 'sources' && Array.isArray(child))
      out.push(...child.filter((s): s is Source => typeof s === 'object' && s !== null));
    else out.push(...findSources(child, depth + 1));
  }
  return out;
}

function titleOf(source: Source, index: number): string {
  const m = source.metadata ?? {};
  for (const key of ['title', 'fileName', 'filename', 'path', 'source', 'url']) {
    if (typeof m[key] === 'string' && m[key]) return m[key] as string;
  }
  return source.title ?? source.id ?? `source ${index + 1}`;
}

/** Longer passages show this much until expanded. */
const SNIPPET = 240;

/** Numbered citations: title (linked when there is a URL), score, and the passage. */
export function Sources({ sources }: { sources: Source[] }) {
  if (sources.length === 0) return null;
  return (
    <ol className="sources" aria-label="Sources" data-testid="sources">
      {sources.map((source, index) => {
        const url = typeof source.metadata?.url === 'string' ? source.metadata.url : undefined;
        const title = titleOf(source, index);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: citations are numbered by position.
          <li key={index}>
            <div className="source-title">
              [{index + 1}]{' '}
              {url ? (
                <a href={url} target="_blank" rel="noreferrer">
                  {title}
                </a>
              ) : (
                title
              )}
              {typeof source.score === 'number' && (
                <span className="muted small"> score {source.score.toFixed(3)}</span>
              )}
            </div>
            {source.content &&
              (source.content.length <= SNIPPET ? (
                <blockquote>{source.content}</blockquote>
              ) : (
                <details>
                  <summary>
                    <blockquote>{source.content.slice(0, SNIPPET).trimEnd()}…</blockquote>
                  </summary>
                  <blockquote>{source.content}</blockquote>
                </details>
              ))}
          </li>
        );
      })}
    </ol>
  );
}
