/**
 * A half-open range `[start, end)` of the document text. Units never begin or end with
 * whitespace, so a chunk built from units is exactly `text.slice(first.start, last.end)`.
 */
export interface Span {
  start: number;
  end: number;
}

/**
 * One level of the splitter hierarchy, as a cursor: finds the next unit of that level in
 * `text[from, end)` and writes it to `unit`; false when there is none. Cursors allocate
 * nothing and look only a little past `end` (to the next newline at most), which keeps the
 * splitter linear in the document size (see ADR 0500).
 */
export type NextUnit = (text: string, from: number, end: number, unit: Span) => boolean;

/** True for the characters `String.prototype.trim` removes (ASCII blanks, NBSP, Unicode spaces, BOM). */
export function isSpace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** First non-space index in `[from, end)`, or `end`. */
export function skipSpace(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** End of `[start, end)` with trailing whitespace removed. */
export function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && isSpace(text.charCodeAt(e - 1))) e--;
  return e;
}

/** Positions of the newlines that start a blank line holding spaces or tabs (or a CR, as in CRLF text). */
function blankLinesWithSpaces(text: string): number[] {
  const found: number[] = [];
  // Native two-character searches beat /\n[ \t]+\n/ (tried by the regex engine at every
  // newline) several times. A search is fast when its first character is rare: spaces are
  // frequent, so look for "newline, space"; tabs and CRs are rare, so look for "tab,
  // newline" and look back. Blank kinds absent from the text cost one nearly free check.
  const record = (newline: number, from: number): number => {
    let next = from;
    while (next < text.length && isHorizontalSpace(text.charCodeAt(next))) next++;
    if (text.charCodeAt(next) === 10) found.push(newline);
    return next;
  };
  let at = text.indexOf('\n ');
  while (at !== -1) at = text.indexOf('\n ', record(at, at + 2));
  for (const blank of ['\t', '\r', '\f', '\v']) {
    if (!text.includes(blank)) continue;
    for (at = text.indexOf(`${blank}\n`); at !== -1; at = text.indexOf(`${blank}\n`, at + 2)) {
      let start = at;
      while (start > 0 && isHorizontalSpace(text.charCodeAt(start - 1))) start--;
      if (start > 0 && text.charCodeAt(start - 1) === 10) found.push(start - 1);
    }
  }
  return found.length < 2 ? found : [...new Set(found)].sort((x, y) => x - y);
}

function isHorizontalSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 11 || code === 12;
}

/**
 * A paragraph cursor for `text`: paragraphs are separated by two or more newlines (blank
 * lines may hold spaces). Two native searches over the whole text — one for empty blank
 * lines, run per paragraph, and one up front for blank lines with spaces — instead of one
 * search per line. Calls must move forward through the text (the top level does).
 */
export function paragraphCursor(text: string): NextUnit {
  const spaced = blankLinesWithSpaces(text);
  let next = 0;
  return (_text, from, end, unit) => {
    const start = skipSpace(text, from, end);
    if (start >= end) return false;
    let stop = text.indexOf('\n\n', start);
    if (stop === -1 || stop > end) stop = end;
    while (next < spaced.length && (spaced[next] ?? end) < start) next++;
    const other = spaced[next];
    if (other !== undefined && other < stop) stop = other;
    unit.start = start;
    unit.end = trimEnd(text, start, stop);
    return true;
  };
}

/** Lines: separated by one or more newlines. */
export const nextLine: NextUnit = (text, from, end, unit) => {
  const start = skipSpace(text, from, end);
  if (start >= end) return false;
  const newline = text.indexOf('\n', start);
  unit.start = start;
  unit.end = trimEnd(text, start, newline === -1 || newline >= end ? end : newline);
  return true;
};

/** Words: runs of non-whitespace characters. */
export const nextWord: NextUnit = (text, from, end, unit) => {
  const start = skipSpace(text, from, end);
  if (start >= end) return false;
  let i = start + 1;
  while (i < end && !isSpace(text.charCodeAt(i))) i++;
  unit.start = start;
  unit.end = i;
  return true;
};

/**
 * A hard cut of at most `size` characters, never between the two halves of a surrogate pair
 * (a split pair would turn into two replacement characters).
 */
export function nextPiece(text: string, from: number, end: number, size: number, unit: Span): boolean {
  const start = skipSpace(text, from, end);
  if (start >= end) return false;
  let stop = Math.min(start + size, end);
  const last = text.charCodeAt(stop - 1);
  if (stop < end && stop - start > 1 && last >= 0xd800 && last <= 0xdbff) stop--;
  unit.start = start;
  unit.end = trimEnd(text, start, stop);
  return true;
}
