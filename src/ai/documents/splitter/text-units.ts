/**
 * A half-open range `[start, end)` of the document text. Units never begin or end with
 * whitespace, so a chunk built from units is exactly `text.slice(first.start, last.end)`.
 */
export interface Span {
  start: number;
  end: number;
}

/** One level of the splitter hierarchy: cuts `text[start, end)` into units of that level. */
export type UnitSplitter = (text: string, start: number, end: number, out: Span[]) => void;

/** True for the whitespace characters units are trimmed of (ASCII blanks, NBSP, ideographic space). */
export function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000 || code === 0xfeff;
}

/** Trims whitespace off both ends of `[start, end)` and pushes the span if anything is left. */
export function pushTrimmed(text: string, start: number, end: number, out: Span[]): void {
  let s = start;
  let e = end;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  if (e > s) out.push({ start: s, end: e });
}

// A blank line: a newline, optional horizontal blanks, another newline.
const PARAGRAPH_BREAK = /\n[ \t\r\f\v]*\n/g;

/** Paragraphs: separated by two or more newlines (blank lines may hold spaces). */
export const paragraphs: UnitSplitter = (text, start, end, out) => {
  if (start !== 0 || end !== text.length) {
    // Same reason as in sentenceSpans: keep the regex search inside the range.
    const first = out.length;
    paragraphs(text.slice(start, end), 0, end - start, out);
    for (let i = first; i < out.length; i++) {
      const span = out[i]!;
      span.start += start;
      span.end += start;
    }
    return;
  }
  PARAGRAPH_BREAK.lastIndex = start;
  let from = start;
  for (;;) {
    const match = PARAGRAPH_BREAK.exec(text);
    if (match === null || match.index >= end) break;
    pushTrimmed(text, from, match.index, out);
    from = match.index + match[0].length;
    // Consecutive blank lines: the next match may start inside this one's tail.
    PARAGRAPH_BREAK.lastIndex = from - 1;
  }
  pushTrimmed(text, from, end, out);
};

/** Lines: separated by one or more newlines. */
export const lines: UnitSplitter = (text, start, end, out) => {
  let from = start;
  for (;;) {
    const newline = text.indexOf('\n', from);
    if (newline === -1 || newline >= end) break;
    pushTrimmed(text, from, newline, out);
    from = newline + 1;
  }
  pushTrimmed(text, from, end, out);
};

/** Words: runs of non-whitespace characters. */
export const words: UnitSplitter = (text, start, end, out) => {
  let i = start;
  while (i < end) {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i >= end) break;
    const wordStart = i;
    while (i < end && !isSpace(text.charCodeAt(i))) i++;
    out.push({ start: wordStart, end: i });
  }
};

/**
 * Hard cut into pieces of at most `size` characters, never between the two halves of a
 * surrogate pair (a pair would otherwise turn into two replacement characters).
 */
export function characterPieces(text: string, start: number, end: number, size: number, out: Span[]): void {
  let from = start;
  while (from < end) {
    let to = Math.min(from + size, end);
    const last = text.charCodeAt(to - 1);
    if (to < end && to - from > 1 && last >= 0xd800 && last <= 0xdbff) to--;
    pushTrimmed(text, from, to, out);
    from = to;
  }
}
