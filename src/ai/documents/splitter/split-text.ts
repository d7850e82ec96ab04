import { isSentenceStart, mayEndSentence, nextSentence } from './sentence-boundaries.ts';
import {
  type NextUnit,
  nextLine,
  nextPiece,
  nextWord,
  paragraphCursor,
  skipSpace,
  trimEnd,
  type Unit,
} from './text-units.ts';

/** The reference's `documentSplitter` property. */
export interface SplitterOptions {
  splitter: 'RECURSIVE' | 'PARAGRAPH' | 'LINE' | 'SENTENCE' | 'WORD';
  maxSegmentSizeInChars: number;
  maxOverlapSizeInChars: number;
}

/** A piece of a document: `text === documentText.slice(start, end)`, `index` counts from 0. */
export interface Chunk {
  text: string;
  index: number;
  start: number;
  end: number;
}

// The unit levels each kind walks through, coarse to fine; the character level is implicit
// and always last. LangChain4j gives PARAGRAPH, LINE and SENTENCE the sentence splitter as
// their finer level, and WORD the character splitter.
type Level = 'paragraph' | 'line' | 'sentence' | 'word';
const LEVELS: Record<SplitterOptions['splitter'], Level[]> = {
  RECURSIVE: ['paragraph', 'line', 'sentence', 'word'],
  PARAGRAPH: ['paragraph', 'sentence', 'word'],
  LINE: ['line', 'sentence', 'word'],
  SENTENCE: ['sentence', 'word'],
  WORD: ['word'],
};

/** The cursors of a kind's levels; the paragraph cursor is built for this text (it is always the top level). */
function cursorsFor(text: string, levels: Level[]): NextUnit[] {
  const fixed: Record<Exclude<Level, 'paragraph'>, NextUnit> = {
    line: nextLine,
    sentence: nextSentence,
    word: nextWord,
  };
  return levels.map((level) => (level === 'paragraph' ? paragraphCursor(text) : fixed[level]));
}

// Where a sentence may start: after a stop, closing quotes or brackets and whitespace; after a
// blank line; right after a full-width stop. The same characters as sentence-boundaries.ts.
const OVERLAP_CANDIDATES = /(?:[.!?…؟।]["')\]”’»」』）]*\s+|\n[ \t\r]*\n\s*|[。！？｡][」』）]*\s*)(?=\S)/g;

/**
 * The earliest sentence start in `[max(floor + 1, lowest), end)`, judged by the text from
 * `floor` (the previous chunk's start); -1 when there is none. Scans at most the overlap
 * window, so overlap costs O(maxOverlapSizeInChars) per chunk.
 */
function findOverlapStart(text: string, floor: number, end: number, lowest: number): number {
  const first = Math.max(floor + 1, lowest);
  // Candidate starts come from one native regex over the window: after a stop (and closers)
  // and whitespace, after a blank line, or right after a full-width stop. isSentenceStart then
  // applies the abbreviation and lower-case rules. A match is made of stops, closers and
  // whitespace only, so one ending at or after `first` begins inside the run of such
  // characters just before `first`: the window starts there (at most 16 characters back).
  let windowStart = first;
  const lookBack = Math.max(floor, first - 16);
  while (windowStart > lookBack && mayEndSentence(text.charCodeAt(windowStart - 1))) windowStart--;
  // The window runs on over the blanks after `end` to the next character, so that a match
  // touching `end` is the one the whole text gives (and ends at `end` or later): cut at
  // `end`, "。」" would backtrack to a candidate at "」" and the next chunk would start with
  // a closing bracket. Those blanks are skipped once per chunk, so this stays linear.
  const window = text.slice(windowStart, Math.min(skipSpace(text, end, text.length) + 1, text.length));
  // test() moves lastIndex to the end of each match (the candidate) without building a match array.
  OVERLAP_CANDIDATES.lastIndex = 0;
  while (OVERLAP_CANDIDATES.test(window)) {
    const i = windowStart + OVERLAP_CANDIDATES.lastIndex;
    if (i >= first && i < end && isSentenceStart(text, i, floor)) return i;
  }
  return -1;
}

function checkOptions(options: SplitterOptions): void {
  const { splitter, maxSegmentSizeInChars: max, maxOverlapSizeInChars: overlap } = options;
  if (!(splitter in LEVELS)) {
    throw new RangeError(
      `documentSplitter.splitter: unknown kind '${String(splitter)}'; use one of ${Object.keys(LEVELS).join(', ')}`,
    );
  }
  if (!Number.isInteger(max) || max < 1) {
    throw new RangeError(`documentSplitter.maxSegmentSizeInChars must be a whole number ≥ 1, got ${String(max)}`);
  }
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= max) {
    throw new RangeError(
      `documentSplitter.maxOverlapSizeInChars must be a whole number ≥ 0 and smaller than maxSegmentSizeInChars (${max}), got ${String(overlap)}`,
    );
  }
}

/**
 * Splits `text` into chunks of at most `maxSegmentSizeInChars` characters.
 *
 * Units of the chosen kind are packed greedily; a unit longer than the maximum is split by
 * the next finer kind (and its pieces packed among themselves, as LangChain4j does). A new
 * chunk starts with the last whole sentences of the previous chunk that fit in
 * `maxOverlapSizeInChars`. Chunks are exact slices of `text`, so offsets point at the source.
 * Without options the whole (trimmed) text is one chunk, as the reference does without a
 * `documentSplitter`; blank text gives no chunk.
 */
export function splitText(text: string, options?: SplitterOptions): Chunk[] {
  if (options === undefined) {
    const start = skipSpace(text, 0, text.length);
    const end = trimEnd(text, start, text.length);
    return end > start ? [{ text: text.slice(start, end), index: 0, start, end }] : [];
  }
  checkOptions(options);
  const max = options.maxSegmentSizeInChars;
  const maxOverlap = options.maxOverlapSizeInChars;
  const levels = cursorsFor(text, LEVELS[options.splitter]);
  const separators = LEVELS[options.splitter].map((level) =>
    level === 'paragraph' ? '\n\n' : level === 'line' ? '\n' : undefined,
  );
  const chunks: Chunk[] = [];
  // The chunk being built is [currentStart, currentEnd) while currentStart ≥ 0, the last one
  // emitted [previousStart, previousEnd) once previousStart ≥ 0: plain numbers rather than
  // span objects, so that building a chunk allocates nothing but the chunk itself.
  let currentStart = -1;
  let currentEnd = 0;
  let previousStart = -1;
  let previousEnd = 0;

  const emit = (): void => {
    if (currentStart < 0) return;
    const start = currentStart;
    const end = currentEnd;
    chunks.push({ text: text.slice(start, end), index: chunks.length, start, end });
    previousStart = start;
    previousEnd = end;
    currentStart = -1;
  };

  /** Adds the unit `[start, end)`: to the current chunk if it fits, else to a new chunk that starts with the overlap. */
  const add = (start: number, end: number): void => {
    if (currentStart >= 0 && end - currentStart <= max) {
      currentEnd = end;
      return;
    }
    emit();
    // The overlap: a sentence start in the previous chunk's last maxOverlap characters that
    // lets a chunk ending at `end` fit.
    const overlap =
      previousStart < 0 || maxOverlap === 0
        ? -1
        : findOverlapStart(text, previousStart, previousEnd, Math.max(previousEnd - maxOverlap, end - max));
    currentStart = overlap === -1 ? start : overlap;
    currentEnd = end;
  };

  /**
   * After a paragraph (or line) joined the current chunk: adds every following one that ends
   * before the chunk is full, with one native search for the last separator that fits
   * instead of one search per unit. Everything before that separator is whole units that
   * fit, so the result is the same as adding them one by one; the walk goes on from there.
   * `separatorAt` is the first separator at or after the last unit's start (never before
   * the chunk's end, see Unit): when it is past the limit nothing more fits, and otherwise
   * the backward search stops at it at the latest, so the search is bounded by the chunk.
   */
  const packWholeUnits = (separator: string, separatorAt: number, from: number, end: number): number => {
    if (currentStart < 0) return from;
    const limit = Math.min(currentStart + max, end);
    if (limit - currentEnd < 3 || separatorAt < 0 || separatorAt >= limit) return from;
    const split = text.lastIndexOf(separator, limit - 1);
    if (split <= currentEnd) return from;
    const packedEnd = trimEnd(text, currentEnd, split);
    if (packedEnd <= currentEnd) return from;
    currentEnd = packedEnd;
    return split;
  };

  const walk = (level: number, start: number, end: number): void => {
    const next = levels[level];
    const unit: Unit = { start: 0, end: 0, separator: -1 };
    let from = start;
    for (;;) {
      const found = next === undefined ? nextPiece(text, from, end, max, unit) : next(text, from, end, unit);
      if (!found) return;
      from = unit.end;
      if (unit.end - unit.start <= max) {
        add(unit.start, unit.end);
        const separator = separators[level];
        if (separator !== undefined) from = packWholeUnits(separator, unit.separator, from, end);
      } else {
        emit();
        walk(level + 1, unit.start, unit.end);
        emit();
      }
    }
  };

  walk(0, 0, text.length);
  emit();
  return chunks;
}
