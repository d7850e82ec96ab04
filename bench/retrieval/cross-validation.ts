/**
 * Honest tuning of the hybrid fusion settings: a seeded 2-fold split of the questions (grouped
 * by gold record, so no record's questions sit on both sides, and stratified by course), grid
 * search on one half, figures on the other, both ways.
 */
import { reciprocalRankFusion } from '../../src/ai/retrieval/reciprocal-rank-fusion.ts';
import type { SearchMatch } from '../../src/ai/spec/embedding-store.ts';

/** One point of the grid: what `retrieval.rrfK`, `.candidates` and `.weights.vector` set. */
export interface FusionSetting {
  rrfK: number;
  candidates: number;
  vectorWeight: number;
}

/** Hit rate and MRR at k over a set of questions. */
export interface Figures {
  hitRate: number;
  mrr: number;
}

/** The two searches of one question, each at least as deep as the largest candidate count. */
export interface RankedLists {
  vector: SearchMatch[];
  text: SearchMatch[];
}

export function grid(values: { rrfK: number[]; candidates: number[]; vectorWeight: number[] }): FusionSetting[] {
  const settings: FusionSetting[] = [];
  for (const rrfK of values.rrfK)
    for (const candidates of values.candidates)
      for (const vectorWeight of values.vectorWeight) settings.push({ rrfK, candidates, vectorWeight });
  return settings;
}

export function describeSetting(setting: FusionSetting): string {
  return `RRF k=${setting.rrfK}, ${setting.candidates} candidates, vector weight ${setting.vectorWeight}`;
}

/**
 * 1/rank of each question's gold record in the fused top k (0 when absent), fusing prefixes of
 * the deep lists with the product's own `reciprocalRankFusion` — what `retrieve` does with
 * `candidates` results per search (the bench checks that on the held-out rows).
 */
export function reciprocalRanks(
  lists: RankedLists[],
  gold: (index: number) => string,
  setting: FusionSetting,
  k: number,
): Float64Array {
  const result = new Float64Array(lists.length);
  lists.forEach((entry, index) => {
    const fused = reciprocalRankFusion(
      [
        { matches: entry.vector.slice(0, setting.candidates), kind: 'vector', weight: setting.vectorWeight },
        { matches: entry.text.slice(0, setting.candidates), kind: 'text', weight: 1 },
      ],
      setting.rrfK,
    ).slice(0, k);
    const position = fused.findIndex((match) => match.metadata.docId === gold(index));
    result[index] = position < 0 ? 0 : 1 / (position + 1);
  });
  return result;
}

/** Figures over the questions whose fold is `fold` (all questions when undefined). */
export function figuresOf(ranks: Float64Array, folds: Uint8Array, fold?: number): Figures {
  let count = 0;
  let hits = 0;
  let sum = 0;
  ranks.forEach((rank, index) => {
    if (fold !== undefined && folds[index] !== fold) return;
    count++;
    if (rank > 0) hits++;
    sum += rank;
  });
  return count === 0 ? { hitRate: 0, mrr: 0 } : { hitRate: hits / count, mrr: sum / count };
}

/** What the grid search maximises: hit rate + MRR (the two targets, equally). */
export const objective = (figures: Figures) => figures.hitRate + figures.mrr;

/** Mulberry32: a tiny seeded generator, so the split is the same on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fold 0 or 1 for each question: the gold records of each course are shuffled with the seed and
 * dealt alternately to the folds, and every question follows its gold record. Grouping by record
 * keeps the course's several questions per record on one side; stratifying by course keeps the
 * three courses' shares equal in both halves.
 */
export function splitByRecord(questions: { course: string; document: string }[], seed: number): Uint8Array {
  const random = seededRandom(seed);
  const recordsByCourse = new Map<string, string[]>();
  for (const question of questions) {
    const records = recordsByCourse.get(question.course) ?? [];
    if (!records.includes(question.document)) records.push(question.document);
    recordsByCourse.set(question.course, records);
  }
  const foldOf = new Map<string, number>();
  let next = 0;
  for (const course of [...recordsByCourse.keys()].sort()) {
    const records = [...(recordsByCourse.get(course) ?? [])].sort();
    for (let i = records.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [records[i], records[j]] = [records[j]!, records[i]!];
    }
    // Continue alternating across courses so the halves differ by at most one record overall.
    for (const record of records) foldOf.set(`${course}|${record}`, next++ % 2);
  }
  return Uint8Array.from(questions, (question) => foldOf.get(`${question.course}|${question.document}`) ?? 0);
}

/** The best setting on one half (ties: the earlier grid point). */
export function bestOn(perSetting: Float64Array[], folds: Uint8Array, fold: number): number {
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  perSetting.forEach((ranks, index) => {
    const score = objective(figuresOf(ranks, folds, fold));
    if (score > bestScore + 1e-12) {
      best = index;
      bestScore = score;
    }
  });
  return best;
}

/** Tuned on one half and measured on the other, both ways; `pooled` scores every question once. */
export interface CrossValidation {
  folds: { tunedOn: number; chosen: number; tuned: Figures; heldOut: Figures }[];
  pooled: Figures;
}

export function crossValidate(perSetting: Float64Array[], folds: Uint8Array): CrossValidation {
  const result: CrossValidation['folds'] = [];
  const pooledRanks = new Float64Array(folds.length);
  for (const tunedOn of [0, 1]) {
    const chosen = bestOn(perSetting, folds, tunedOn);
    const ranks = perSetting[chosen]!;
    ranks.forEach((rank, index) => {
      if (folds[index] !== tunedOn) pooledRanks[index] = rank;
    });
    result.push({
      tunedOn,
      chosen,
      tuned: figuresOf(ranks, folds, tunedOn),
      heldOut: figuresOf(ranks, folds, 1 - tunedOn),
    });
  }
  return { folds: result, pooled: figuresOf(pooledRanks, folds) };
}

/**
 * The setting whose worst half is best (max-min of the objective over every half of every
 * split, for each indexing choice): a default that holds everywhere rather than the peak of one
 * half. `perSettingByVariant[v][s]` is setting s's 1/rank per question with indexing choice v.
 */
export function robustSetting(perSettingByVariant: Float64Array[][], splits: Uint8Array[]): number {
  let best = 0;
  let bestWorst = Number.NEGATIVE_INFINITY;
  const settings = perSettingByVariant[0]?.length ?? 0;
  for (let index = 0; index < settings; index++) {
    let worst = Number.POSITIVE_INFINITY;
    for (const perSetting of perSettingByVariant)
      for (const split of splits)
        for (const half of [0, 1]) worst = Math.min(worst, objective(figuresOf(perSetting[index]!, split, half)));
    if (worst > bestWorst + 1e-12) {
      best = index;
      bestWorst = worst;
    }
  }
  return best;
}
