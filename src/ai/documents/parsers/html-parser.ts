import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { ParsedContent } from './parsed-content.ts';

// Why Readability: it is what Firefox's reader view uses to find an article among
// navigation, ads and footers; linkedom gives it a DOM without a browser (ADR 0502).

/** Collapses runs of spaces, keeps paragraph breaks (at most one blank line). */
function tidy(text: string): string {
  return text
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Body text when Readability finds no article: scripts, styles and chrome removed. */
function bodyText(document: Document): string {
  for (const element of Array.from(
    document.querySelectorAll('script, style, noscript, template, nav, header, footer, aside'),
  )) {
    element.remove();
  }
  for (const block of Array.from(
    document.querySelectorAll('p, div, li, h1, h2, h3, h4, h5, h6, tr, br, pre, blockquote'),
  )) {
    block.append('\n');
  }
  return document.body?.textContent ?? document.documentElement?.textContent ?? '';
}

/** The main text of an HTML page (not its markup) and its `<title>`. */
export function parseHtml(html: string): ParsedContent {
  const { document } = parseHTML(html);
  const title = document.querySelector('title')?.textContent?.trim() || undefined;
  let text = '';
  try {
    const article = new Readability(document.cloneNode(true) as Document, { charThreshold: 200 }).parse();
    text = article?.textContent ?? '';
    if (article !== null) {
      // Readability's textContent loses paragraph breaks; rebuild them from its HTML.
      const { document: content } = parseHTML(`<html><body>${article.content ?? ''}</body></html>`);
      text = bodyText(content);
    }
  } catch {
    // Readability throws on some odd documents; the body text below is still useful.
  }
  if (tidy(text).length === 0) text = bodyText(document);
  const result: ParsedContent = { text: tidy(text) };
  if (title !== undefined) result.title = title;
  return result;
}
