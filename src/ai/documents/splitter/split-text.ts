import { isSentenceStart, nextSentence } from './sentence-boundaries.ts';
import {
  type NextUnit,
  nextLine,
  nextPiece,
  nextWord,
  paragraphCursor,
  type Span,
  skipSpace,
  trimEnd,
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
 * The earliest sentence start in `[max(floor + 1, first), end)`, judged by the text from
 * `floor` (the previous chunk's start); undefined when there is none. Scans at most the
 * overlap window, so overlap costs O(maxOverlapSizeInChars) per chunk.
 */
function findOverlapStart(text: string, floor: number, end: number, lowest: number): number | undefined {
  const first = Math.max(floor + 1, lowest);
  // Candidate starts come from one native regex over the window: after a stop (and closers)
  // and whitespace, after a blank line, or right after a full-width stop. isSentenceStart then
  // applies the abbreviation and lower-case rules.
  const windowStart = Math.max(floor, first - 16);
  const window = text.slice(windowStart, end);
  OVERLAP_CANDIDATES.lastIndex = 0;
  for (let match = OVERLAP_CANDIDATES.exec(window); match !== null; match = OVERLAP_CANDIDATES.exec(window)) {
    const i = windowStart + match.index + match[0].length;
    if (i >= first && i < end && isSentenceStart(text, i, floor)) return i;
  }
  return undefined;
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
  let current: Span | undefined;
  let previous: Span | undefined;

  const emit = (): void => {
    if (current === undefined) return;
    const { start, end } = current;
    chunks.push({ text: text.slice(start, end), index: chunks.length, start, end });
    previous = current;
    current = undefined;
  };

  /** Start of the overlap: a sentence start in the previous chunk's last maxOverlap characters that lets a chunk ending at `end` fit. */
  const overlapStart = (end: number): number | undefined =>
    previous === undefined || maxOverlap === 0
      ? undefined
      : findOverlapStart(text, previous.start, previous.end, Math.max(previous.end - maxOverlap, end - max));

  const add = (unit: Span): void => {
    if (current !== undefined && unit.end - current.start <= max) {
      current.end = unit.end;
      return;
    }
    emit();
    current = { start: overlapStart(unit.end) ?? unit.start, end: unit.end };
  };

  /**
   * After a paragraph (or line) joined the current chunk: adds every following one that ends
   * before the chunk is full, with one bounded native search for the last separator that
   * fits instead of one search per unit. Everything before that separator is whole units that
   * fit, so the result is the same as adding them one by one; the walk goes on from there.
   */
  const packWholeUnits = (separator: string, from: number, end: number): number => {
    if (current === undefined) return from;
    const limit = Math.min(current.start + max, end);
    if (limit - current.end < 3) return from;
    const found = text.slice(current.end, limit + separator.length - 1).lastIndexOf(separator);
    if (found <= 0) return from;
    const split = current.end + found;
    const packedEnd = trimEnd(text, current.end, split);
    if (packedEnd <= current.end) return from;
    current.end = packedEnd;
    return split;
  };

  const walk = (level: number, start: number, end: number): void => {
    const next = levels[level];
    const unit: Span = { start: 0, end: 0 };
    let from = start;
    for (;;) {
      const found = next === undefined ? nextPiece(text, from, end, max, unit) : next(text, from, end, unit);
      if (!found) return;
      from = unit.end;
      if (unit.end - unit.start <= max) {
        add(unit);
        const separator = separators[level];
        if (separator !== undefined) from = packWholeUnits(separator, from, end);
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
