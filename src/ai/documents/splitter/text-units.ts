/**
 * A half-open range `[start, end)` of the document text. Units never begin or end with
 * whitespace, so a chunk built from units is exactly `text.slice(first.start, last.end)`.
 */
export interface Span {
  start: number;
  end: number;
}

/**
 * A unit found by a cursor. The paragraph and line cursors also tell where their separator
 * search stopped, so the packer can bound its own search without slicing the text.
 */
export interface Unit extends Span {
  /**
   * Paragraph and line cursors: the first separator (`\n\n`, `\n`) at or after the unit's
   * start, which is never before the unit's end; -1 when the text has none. Other cursors
   * leave it as it is.
   */
  separator: number;
}

/**
 * One level of the splitter hierarchy, as a cursor: finds the next unit of that level in
 * `text[from, end)` and writes it to `unit`; false when there is none. Cursors allocate
 * nothing and look only a little past `end` (to the next newline at most), which keeps the
 * splitter linear in the document size (see ADR 0500).
 */
export type NextUnit = (text: string, from: number, end: number, unit: Unit) => boolean;

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

function isHorizontalSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 11 || code === 12;
}

/**
 * A paragraph cursor for `text`: paragraphs are separated by two or more newlines (blank
 * lines may hold spaces, tabs, CRs, form feeds or vertical tabs, as in CRLF text). One native
 * search for the next empty blank line, then a search limited to that candidate paragraph for
 * a blank line that holds blanks — instead of one search per line. Blank kinds absent from
 * the text are never searched for (checking is nearly free: a one-character search).
 */
export function paragraphCursor(text: string): NextUnit {
  // Searches are fast when the pattern's first character is rare, so each starts with the
  // newline that opens a blank line: "newline, space", and "newline, tab" (CR, form feed,
  // vertical tab) when the text holds that character at all. Every blank line with blanks
  // starts with one of these pairs, whatever blanks follow.
  const openers = [
    '\n ',
    ...['\t', '\r', '\f', '\v'].filter((blank) => text.includes(blank)).map((blank) => `\n${blank}`),
  ];
  /** The newline opening the first blank line with blanks in `[start, stop)`, or `stop`. */
  const firstBlankWithBlanks = (start: number, stop: number): number => {
    const region = text.slice(start, stop);
    let first = stop;
    for (const opener of openers) {
      for (let at = region.indexOf(opener); at !== -1 && start + at < first; at = region.indexOf(opener, at + 2)) {
        let next = start + at + 2;
        while (next < stop && isHorizontalSpace(text.charCodeAt(next))) next++;
        if (next < stop && text.charCodeAt(next) === 10) {
          first = start + at;
          break;
        }
      }
    }
    return first;
  };
  return (_text, from, end, unit) => {
    const start = skipSpace(text, from, end);
    if (start >= end) return false;
    const separator = text.indexOf('\n\n', start);
    const stop = firstBlankWithBlanks(start, separator === -1 || separator > end ? end : separator);
    unit.start = start;
    unit.end = trimEnd(text, start, stop);
    unit.separator = separator;
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
  unit.separator = newline;
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
export function nextPiece(text: string, from: number, end: number, size: number, unit: Unit): boolean {
  const start = skipSpace(text, from, end);
  if (start >= end) return false;
  let stop = Math.min(start + size, end);
  const last = text.charCodeAt(stop - 1);
  if (stop < end && stop - start > 1 && last >= 0xd800 && last <= 0xdbff) stop--;
  unit.start = start;
  unit.end = trimEnd(text, start, stop);
  return true;
}
