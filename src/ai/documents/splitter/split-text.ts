import { sentenceSpans } from './sentence-boundaries.ts';
import { characterPieces, lines, paragraphs, pushTrimmed, type Span, type UnitSplitter, words } from './text-units.ts';

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

const sentences: UnitSplitter = sentenceSpans;

// The unit levels each kind walks through, coarse to fine; the character level is implicit
// and always last. LangChain4j gives PARAGRAPH, LINE and SENTENCE the sentence splitter as
// their finer level, and WORD the character splitter.
const LEVELS: Record<SplitterOptions['splitter'], UnitSplitter[]> = {
  RECURSIVE: [paragraphs, lines, sentences, words],
  PARAGRAPH: [paragraphs, sentences, words],
  LINE: [lines, sentences, words],
  SENTENCE: [sentences, words],
  WORD: [words],
};

// How far before the overlap window sentence detection looks, so that the stop and the
// word before it (abbreviation check) are seen.
const OVERLAP_CONTEXT = 64;

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
    const whole: Span[] = [];
    pushTrimmed(text, 0, text.length, whole);
    return whole.map((span, index) => ({ text: text.slice(span.start, span.end), index, ...span }));
  }
  checkOptions(options);
  const max = options.maxSegmentSizeInChars;
  const maxOverlap = options.maxOverlapSizeInChars;
  const levels = LEVELS[options.splitter];
  const chunks: Chunk[] = [];
  let current: Span | undefined;
  let previous: Span | undefined;

  const emit = (): void => {
    if (current === undefined) return;
    chunks.push({ text: text.slice(current.start, current.end), index: chunks.length, ...current });
    previous = current;
    current = undefined;
  };

  /** Start of the overlap: the earliest sentence start in the previous chunk's tail that still lets `end` fit. */
  const overlapStart = (end: number): number | undefined => {
    if (previous === undefined || maxOverlap === 0) return undefined;
    const lowest = Math.max(previous.start + 1, previous.end - maxOverlap, end - max);
    if (lowest >= previous.end) return undefined;
    const windowStart = Math.max(previous.start, lowest - OVERLAP_CONTEXT);
    const spans: Span[] = [];
    sentenceSpans(text, windowStart, previous.end, spans);
    // When the window starts inside a sentence, its first span is a fragment, not a sentence.
    for (let i = windowStart === previous.start ? 0 : 1; i < spans.length; i++) {
      const span = spans[i]!;
      if (span.start >= lowest) return span.start;
    }
    return undefined;
  };

  const add = (unit: Span): void => {
    if (current !== undefined && unit.end - current.start <= max) {
      current.end = unit.end;
      return;
    }
    emit();
    current = { start: overlapStart(unit.end) ?? unit.start, end: unit.end };
  };

  const walk = (level: number, start: number, end: number): void => {
    const units: Span[] = [];
    const splitter = levels[level];
    if (splitter === undefined) characterPieces(text, start, end, max, units);
    else splitter(text, start, end, units);
    for (const unit of units) {
      if (unit.end - unit.start <= max) {
        add(unit);
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
