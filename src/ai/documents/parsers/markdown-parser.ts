import type { ParsedContent } from './parsed-content.ts';

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)\r?\n?/;

/**
 * Markdown stays as text (headings and lists help both embeddings and readers); the title
 * comes from front matter `title:` or else the first `#` heading. Front matter is kept in
 * the text: it often holds the only summary of the page.
 */
export function parseMarkdown(text: string): ParsedContent {
  const frontMatter = FRONT_MATTER.exec(text)?.[1];
  const fromFrontMatter = frontMatter === undefined ? undefined : /^title:\s*(.+?)\s*$/m.exec(frontMatter)?.[1];
  if (fromFrontMatter !== undefined) return { text, title: fromFrontMatter.replace(/^(["'])(.*)\1$/, '$2') };
  const heading = /^#[ \t]+(.+?)[ \t#]*$/m.exec(text)?.[1];
  return heading === undefined ? { text } : { text, title: heading };
}
