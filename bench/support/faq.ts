import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The LLM Zoomcamp FAQ set in the shared data folder beside the repository. */
export const FAQ_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'llm-zoomcamp-faq');

/** One FAQ record of documents-with-ids.json. */
export interface FaqRecord {
  text: string;
  section: string;
  question: string;
  course: string;
  id: string;
}

/** One labelled question of ground-truth-dev.csv: the record `document` answers it. */
export interface FaqQuestion {
  question: string;
  course: string;
  document: string;
}

export function readFaqRecords(): FaqRecord[] {
  return JSON.parse(readFileSync(join(FAQ_DIR, 'documents-with-ids.json'), 'utf8')) as FaqRecord[];
}

export function readFaqQuestions(): FaqQuestion[] {
  const lines = readFileSync(join(FAQ_DIR, 'ground-truth-dev.csv'), 'utf8').split(/\r?\n/).slice(1);
  const rows: FaqQuestion[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    // The question may be quoted and contain commas; the last two fields never do.
    const document = line.slice(line.lastIndexOf(',') + 1);
    const rest = line.slice(0, line.lastIndexOf(','));
    const course = rest.slice(rest.lastIndexOf(',') + 1);
    let question = rest.slice(0, rest.lastIndexOf(','));
    if (question.startsWith('"') && question.endsWith('"')) question = question.slice(1, -1).replace(/""/g, '"');
    rows.push({ question, course, document });
  }
  return rows;
}
