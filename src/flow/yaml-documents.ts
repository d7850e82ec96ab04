import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { FlowViolation, PathSegment } from './flow-violation.ts';

/** Sources bigger than this are refused before parsing: a flow is a few kilobytes. */
export const MAX_SOURCE_BYTES = 10 * 1024 * 1024;
/** Deeper nesting than this is refused: no real flow comes close, and deep trees make recursion unsafe. */
export const MAX_DEPTH = 100;
/** Alias expansions allowed per document (guards against "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;

/** One YAML document of a source: its plain value, its own text, and positions of its nodes. */
export interface YamlDocument {
  value: unknown;
  source: string;
  /** Line and column of the node at `path`, or of the closest ancestor that exists. */
  locate(path: readonly PathSegment[], atKey?: boolean): { line: number; column: number } | undefined;
}

export type YamlParseResult = { ok: true; documents: YamlDocument[] } | { ok: false; violations: FlowViolation[] };

/** Parses every `---` document of a source, keeping positions so violations can point at lines. */
export function parseYamlDocuments(source: string): YamlParseResult {
  if (Buffer.byteLength(source, 'utf8') > MAX_SOURCE_BYTES) {
    return fail(`the source is larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MB; split it into smaller flow files`);
  }
  const lineCounter = new LineCounter();
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const parsed = parseAllDocuments(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const all = Array.isArray(parsed) ? parsed : [parsed];
  const documents: YamlDocument[] = [];
  const violations: FlowViolation[] = [];
  let previousEnd = 0;
  for (const document of all) {
    const error = document.errors[0];
    if (error) {
      const at = position(error.pos[0]);
      violations.push({ path: '', message: `malformed YAML: ${firstLine(error.message)}`, ...at });
      continue;
    }
    // A document's text runs from the end of the previous one, so comments above it stay with it.
    const start = previousEnd;
    previousEnd = document.range[1];
    const text = source.slice(start, document.range[1]).replace(/^---[^\S\r\n]*\r?\n/, '');
    if (document.contents === null || (isScalar(document.contents) && document.contents.value === null)) continue;
    const depth = depthOf(document.contents);
    if (depth > MAX_DEPTH) {
      const at = position(document.contents.range?.[0] ?? 0);
      violations.push({ path: '', message: `the document nests deeper than ${MAX_DEPTH} levels`, ...at });
      continue;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (cause) {
      const at = position(document.contents.range?.[0] ?? 0);
      const reason = cause instanceof Error ? firstLine(cause.message) : String(cause);
      violations.push({ path: '', message: `the YAML cannot be expanded: ${reason}`, ...at });
      continue;
    }
    const contents = document.contents;
    documents.push({
      value,
      source: text.trim() === '' ? text : text.replace(/\n*$/, '\n'),
      locate: (path, atKey = false) => {
        const node = nodeAt(contents, path, atKey);
        const offset = node?.range?.[0];
        return offset === undefined ? undefined : position(offset);
      },
    });
  }
  return violations.length > 0 ? { ok: false, violations } : { ok: true, documents };
}

function fail(message: string): YamlParseResult {
  return { ok: false, violations: [{ path: '', message, line: 1, column: 1 }] };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Depth of the node tree, iteratively so that a hostile file cannot overflow the stack. */
function depthOf(root: Node): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (max > MAX_DEPTH) return max;
    if (isMap(node)) for (const item of node.items) stack.push([item.value, depth + 1]);
    else if (isSeq(node)) for (const item of node.items) stack.push([item, depth + 1]);
  }
  return max;
}

/** The deepest node along `path`; for a missing key, the key node of its parent pair. */
function nodeAt(root: Node, path: readonly PathSegment[], atKey: boolean): Node | undefined {
  let node: Node = root;
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return node;
      if (atKey && index === path.length - 1 && (pair.key as Node | null)?.range) return pair.key as Node;
      const child = pair.value;
      if (!child || !(child as Node).range) return (pair.key as Node) ?? node;
      node = child as Node;
    } else if (isSeq(node) && typeof segment === 'number') {
      const child = node.items[segment];
      if (!child || !(child as Node).range) return node;
      node = child as Node;
    } else {
      return node;
    }
  }
  return node;
}
