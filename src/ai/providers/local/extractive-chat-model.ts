import type { ChatMessage, ChatModelV1 } from '../../spec/chat-model.ts';

/** The `modelName` of the extractive answerer (the Local provider's default chat model). */
export const EXTRACTIVE_MODEL = 'extractive';

/** First words of every extractive answer, so nobody mistakes it for a model's prose. */
export const EXTRACTIVE_LABEL = 'Extractive answer (no language model configured):';

type Source = { content: string; metadata: Record<string, unknown>; score?: number };

const MAX_SENTENCES = 3;
const MAX_ANSWER_CHARS = 900;
// Prompt templates append the sources after the question; only the question is matched.
const INJECTION_MARKERS = [/\n\s*Answer using the following information:/i, /\n\s*(?:Context|Sources):\s*\n/i];
const STOP_WORDS = new Set(
  'a an and are as at be but by can do does for from has have how i if in into is it its me my of on or our so that the their them then there these they this to was we what when where which who why will with you your'.split(
    ' ',
  ),
);

/** Embeds texts into unit vectors (the Local sentence encoder), for semantic sentence ranking. */
export type SentenceEmbedder = (texts: string[], signal: AbortSignal) => Promise<Float32Array[]>;

// Below this cosine a sentence is not about the question, whatever its rank.
const SEMANTIC_MIN = 0.3;
// Sentences scoring under this share of the best one are left out rather than padding the answer.
const RELATIVE_MIN = 0.6;
const MAX_EMBEDDED_SENTENCES = 200;

/**
 * Answers without a language model: picks the source sentences that best match the question
 * (term overlap weighted by rarity across the sources, meaning similarity when an embedder is
 * given, and the retrieval rank) and quotes them with citation markers [n] matching the order of
 * the sources given.
 */
export function extractiveChatModel(embed?: SentenceEmbedder): ChatModelV1 {
  return {
    specificationVersion: 'v1',
    provider: 'local',
    modelId: EXTRACTIVE_MODEL,
    async doGenerate({ messages, sources, abortSignal }) {
      abortSignal.throwIfAborted();
      const question = questionOf(messages);
      const warnings = ['extractive answer: no language model ran; configure a chat provider for generated answers'];
      if (!sources || sources.length === 0) {
        return {
          text: `${EXTRACTIVE_LABEL} I have nothing to answer from: no sources were retrieved for this question. Ingest documents first, or configure a chat model provider.`,
          finishReason: 'STOP',
          warnings,
        };
      }
      let similarity: number[] | undefined;
      if (embed) {
        const sentences = sentenceCandidates(sources)
          .slice(0, MAX_EMBEDDED_SENTENCES)
          .map((candidate) => candidate.sentence);
        const [query, ...vectors] = await embed([question, ...sentences], abortSignal);
        similarity = vectors.map((vector) => cosine(query!, vector));
      }
      return { text: extractiveAnswer(question, sources, similarity), finishReason: 'STOP', warnings };
    },
  };
}

function sentenceCandidates(sources: readonly Source[]) {
  return sources.flatMap((source, sourceIndex) =>
    splitSentences(source.content).map((sentence, position) => ({ sentence, sourceIndex, position })),
  );
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

/**
 * The extractive answer text for a question and ranked sources. `similarity[i]`, when given, is
 * the cosine between the question and the i-th source sentence (in source order).
 */
export function extractiveAnswer(question: string, sources: readonly Source[], similarity?: readonly number[]): string {
  const queryTerms = new Set(terms(question));
  const candidates = sentenceCandidates(sources);
  // Rarity of a term across all candidate sentences: common words in the sources weigh less.
  const documentFrequency = new Map<string, number>();
  const sentenceTerms = candidates.map((candidate) => new Set(terms(candidate.sentence)));
  for (const set of sentenceTerms)
    for (const term of set) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const total = Math.max(1, candidates.length);
  const scored = candidates
    .map((candidate, index) => {
      let overlap = 0;
      for (const term of queryTerms) {
        if (sentenceTerms[index]!.has(term)) overlap += Math.log(1 + total / (documentFrequency.get(term) ?? 1));
      }
      return { ...candidate, overlap, semantic: similarity?.[index] };
    })
    .map((candidate, _, all) => {
      const rankBonus = 0.15 / (1 + candidate.sourceIndex);
      if (candidate.semantic === undefined) {
        return { ...candidate, score: candidate.overlap > 0 ? candidate.overlap + rankBonus : 0 };
      }
      // With meaning similarity, term overlap (scaled to 0..1) refines it; a paraphrase with no
      // shared word still qualifies on meaning alone.
      const maxOverlap = Math.max(...all.map((other) => other.overlap));
      const lexical = maxOverlap > 0 ? candidate.overlap / maxOverlap : 0;
      const relevant = candidate.overlap > 0 || candidate.semantic >= SEMANTIC_MIN;
      return { ...candidate, score: relevant ? candidate.semantic + 0.5 * lexical + rankBonus / 3 : 0 };
    });

  const best = Math.max(0, ...scored.map((candidate) => candidate.score));
  const matching = scored
    .filter((candidate) => candidate.score > 0 && candidate.score >= RELATIVE_MIN * best)
    .sort((a, b) => b.score - a.score);
  const chosen: typeof scored = [];
  let length = 0;
  for (const candidate of matching) {
    if (chosen.length >= MAX_SENTENCES || length + candidate.sentence.length > MAX_ANSWER_CHARS) break;
    if (chosen.some((other) => other.sentence === candidate.sentence)) continue;
    chosen.push(candidate);
    length += candidate.sentence.length;
  }

  const lines: string[] = [];
  if (chosen.length === 0) {
    const first = scored.find((candidate) => candidate.sourceIndex === 0) ?? scored[0];
    const quote = first ? `${truncate(first.sentence)} [${first.sourceIndex + 1}]` : '';
    lines.push(
      `${EXTRACTIVE_LABEL} none of the sources mention the question's terms; the most relevant source says: ${quote}`,
    );
  } else {
    // Reading order: by source, then by position inside it, so quotes from one source stay together.
    chosen.sort((a, b) => a.sourceIndex - b.sourceIndex || a.position - b.position);
    lines.push(`${EXTRACTIVE_LABEL} ${chosen.map((c) => `${truncate(c.sentence)} [${c.sourceIndex + 1}]`).join(' ')}`);
  }
  lines.push('', 'Sources:');
  sources.forEach((source, index) => {
    lines.push(`[${index + 1}] ${sourceLabel(source, index)}`);
  });
  return lines.join('\n');
}

function questionOf(messages: readonly ChatMessage[]): string {
  const last = [...messages].reverse().find((message) => message.type === 'USER');
  let text = last?.content ?? '';
  for (const marker of INJECTION_MARKERS) {
    const match = marker.exec(text);
    if (match && match.index > 0) text = text.slice(0, match.index);
  }
  return text;
}

function splitSentences(text: string): string[] {
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  const sentences: string[] = [];
  for (const part of text.split(/\n{2,}/)) {
    for (const { segment } of segmenter.segment(part)) {
      const sentence = segment.replace(/\s+/g, ' ').trim();
      if (/[\p{L}\p{N}]/u.test(sentence)) sentences.push(sentence);
    }
  }
  return sentences;
}

function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !STOP_WORDS.has(word)).map(stem);
}

/** A light suffix strip so "indexes", "indexing" and "indexed" meet "index". */
function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const suffix of ['ing', 'ies', 'es', 'ed', 's']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      return suffix === 'ies' ? `${word.slice(0, -3)}y` : word.slice(0, -suffix.length);
    }
  }
  return word;
}

function truncate(sentence: string): string {
  return sentence.length > 400 ? `${sentence.slice(0, 397)}...` : sentence;
}

function sourceLabel(source: Source, index: number): string {
  for (const key of ['title', 'source', 'file_name', 'url', 'path', 'id']) {
    const value = source.metadata[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return `source ${index + 1}: ${truncate(source.content.replace(/\s+/g, ' ').trim()).slice(0, 80)}`;
}
