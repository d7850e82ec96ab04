import { isSpace, type NextUnit, type Span, skipSpace, trimEnd } from './text-units.ts';

// Why rules and not a model: the reference uses OpenNLP's English model, which would mean a
// download at run time (forbidden) and English only. These rules handle abbreviations,
// initials, decimals, list numbers, quotes after the stop, and the stops of CJK, Arabic and
// Devanagari scripts; see ADR 0501.

/** Lower-cased words that end with a period without ending the sentence. */
const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr prof sr jr st mt ft vs etc eg ie cf al approx dept est fig figs no nos vol vols ' +
    'inc ltd co corp llc jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun ' +
    'gen col lt sgt capt rev hon gov pres sen rep ph op ed eds pp p ch sec art min max avg e.g i.e a.m p.m ' +
    'u.s u.k u.n e.u z.b bzw usw ca nr'
  ).split(' '),
);

// Candidate stops: Latin/Greek/Cyrillic . ! ? …, full-width and CJK stops, Arabic question
// mark, Devanagari danda, and newlines (a blank line always ends a sentence).
const CANDIDATE = /[.!?…。！？｡؟।\n]/g;

/** Stops after which no space is needed (scripts written without spaces). */
function isWidthlessStop(code: number): boolean {
  return code === 0x3002 || code === 0xff01 || code === 0xff1f || code === 0xff61;
}

function isStop(code: number): boolean {
  return (
    code === 46 ||
    code === 33 ||
    code === 63 ||
    code === 0x2026 ||
    code === 0x61f ||
    code === 0x964 ||
    isWidthlessStop(code)
  );
}

/** Quotes and brackets that may follow a stop and still belong to the sentence. */
function isCloser(code: number): boolean {
  return (
    code === 34 ||
    code === 39 ||
    code === 41 ||
    code === 93 ||
    code === 0x201d ||
    code === 0x2019 ||
    code === 0xbb ||
    code === 0x300d ||
    code === 0x300f ||
    code === 0xff09
  );
}

/** Stops, closers and whitespace: the characters a sentence boundary is made of. */
export function mayEndSentence(code: number): boolean {
  return isSpace(code) || isStop(code) || isCloser(code);
}

function isLowerLatin(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 0xdf && code <= 0xff && code !== 0xf7);
}

/**
 * A number for a short ASCII word, lower-cased: each character (plus one, so that a leading
 * NUL still counts) is a base-129 digit; 7 characters stay below 2^53, so the number is exact
 * and different words get different numbers. -1 when the word holds a non-ASCII character.
 */
function asciiWordKey(text: string, start: number, end: number): number {
  let key = 0;
  for (let k = start; k < end; k++) {
    let code = text.charCodeAt(k);
    if (code >= 128) return -1;
    if (code >= 65 && code <= 90) code += 32;
    key = key * 129 + code + 1;
  }
  return key;
}

/** ABBREVIATIONS as word keys: the sentence rules look words up without building strings. */
const ABBREVIATION_KEYS = new Set([...ABBREVIATIONS].map((word) => asciiWordKey(word, 0, word.length)));

function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Quotes and brackets that may open a word: ( " ' [ “ ‘ «. */
function isOpener(code: number): boolean {
  return (
    code === 40 || code === 34 || code === 39 || code === 91 || code === 0x201c || code === 0x2018 || code === 0xab
  );
}

/** Does the period at `dot` end an abbreviation, an initial or a list number rather than a sentence? */
function isAbbreviationDot(text: string, from: number, dot: number): boolean {
  let wordStart = dot;
  // No abbreviation is longer than 6 letters (plus an opening bracket or quote).
  while (wordStart > from && dot - wordStart <= 7 && !isSpace(text.charCodeAt(wordStart - 1))) wordStart--;
  if (dot - wordStart > 7) return false;
  // Opening quotes or brackets are not part of the word.
  while (wordStart < dot && isOpener(text.charCodeAt(wordStart))) wordStart++;
  const length = dot - wordStart;
  if (length === 0) return false;
  if (length <= 3 && isAsciiDigit(text.charCodeAt(wordStart)) && isAsciiDigit(text.charCodeAt(dot - 1))) {
    if (length < 3 || isAsciiDigit(text.charCodeAt(wordStart + 1))) {
      // "1. Install" at the start of a line is a list number, "in 10. Then" is a sentence end.
      let before = wordStart - 1;
      while (before >= from && (text.charCodeAt(before) === 32 || text.charCodeAt(before) === 9)) before--;
      return before < from || text.charCodeAt(before) === 10;
    }
  }
  // Words are compared without building strings; the rare non-ASCII word (or initial) takes
  // the slower path, so that case mapping stays exactly that of toLowerCase.
  const key = asciiWordKey(text, wordStart, dot);
  if (key === -1) {
    const word = text.slice(wordStart, dot);
    // An initial ("Д. Иванов").
    if (length === 1) return word.toLowerCase() !== word;
    return ABBREVIATIONS.has(word.toLowerCase());
  }
  // An initial ("J. R. R. Tolkien").
  if (length === 1) return text.charCodeAt(wordStart) >= 65 && text.charCodeAt(wordStart) <= 90;
  return ABBREVIATION_KEYS.has(key);
}

/**
 * The next sentence in `text[from, end)`. The candidate regex stops at every newline, so the
 * search never runs past the line that contains `end` (ranges end at a line end or at `end`
 * of the text), whatever the size of the document.
 */
export const nextSentence: NextUnit = (text, from, end, unit) => {
  const start = skipSpace(text, from, end);
  if (start >= end) return false;
  unit.start = start;
  unit.end = trimEnd(text, start, sentenceEnd(text, start, end));
  return true;
};

/** Where the sentence starting at `start` ends (exclusive, before trimming). */
function sentenceEnd(text: string, start: number, end: number): number {
  CANDIDATE.lastIndex = start;
  for (;;) {
    const match = CANDIDATE.exec(text);
    if (match === null || match.index >= end) return end;
    const at = match.index;
    const code = text.charCodeAt(at);
    if (code === 10) {
      // Only a blank line ends a sentence here; a single newline is wrapped text.
      let next = at + 1;
      while (next < end && text.charCodeAt(next) !== 10 && isSpace(text.charCodeAt(next))) next++;
      if (next < end && text.charCodeAt(next) === 10) return at;
      continue;
    }
    let after = at + 1;
    while (after < end && (isStop(text.charCodeAt(after)) || isCloser(text.charCodeAt(after)))) after++;
    CANDIDATE.lastIndex = after;
    if (after >= end) return end;
    if (isWidthlessStop(code) || isWidthlessStop(text.charCodeAt(after - 1))) return after;
    if (!isSpace(text.charCodeAt(after))) continue; // "3.14", "example.com", "?!x"
    let next = after;
    while (next < end && isSpace(text.charCodeAt(next)) && text.charCodeAt(next) !== 10) next++;
    if (next >= end) return end;
    // A lower-case continuation ("etc. and", "... then") is the same sentence.
    if (isLowerLatin(text.charCodeAt(next))) continue;
    if (code === 46 && after === at + 1 && isAbbreviationDot(text, start, at)) continue;
    return after;
  }
}

/** All sentences of `text[start, end)`, in order. */
export function sentenceSpans(text: string, start: number, end: number): Span[] {
  const spans: Span[] = [];
  let from = start;
  for (;;) {
    const unit = { start: 0, end: 0, separator: -1 };
    if (!nextSentence(text, from, end, unit)) return spans;
    spans.push(unit);
    from = unit.end;
  }
}

/**
 * Does a sentence start at `i`, judging only from `text[floor, i]`? The same rules as
 * nextSentence, read backwards; used to find overlap starts without re-splitting a chunk.
 */
export function isSentenceStart(text: string, i: number, floor: number): boolean {
  if (i <= floor || isSpace(text.charCodeAt(i))) return false;
  let j = i - 1;
  let newlines = 0;
  while (j >= floor && isSpace(text.charCodeAt(j))) {
    if (text.charCodeAt(j) === 10) newlines++;
    j--;
  }
  if (j < floor) return false;
  const spaced = j !== i - 1;
  if (newlines >= 2) return true;
  let k = j;
  while (k >= floor && isCloser(text.charCodeAt(k))) k--;
  if (k < floor) return false;
  const stop = text.charCodeAt(k);
  if (!isStop(stop)) return false;
  if (isWidthlessStop(stop)) return true;
  if (!spaced) return false;
  if (newlines === 0 && isLowerLatin(text.charCodeAt(i))) return false;
  const single = k === j && (k === floor || !isStop(text.charCodeAt(k - 1)));
  return !(stop === 46 && single && isAbbreviationDot(text, floor, k));
}
