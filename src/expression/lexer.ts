import { TemplateError } from './template-error.ts';

/** One token of an expression inside `{{ }}` or `{% %}` (or a bare expression). */
export interface Token {
  type: 'name' | 'number' | 'string' | 'punct' | 'interpolation';
  value: string;
  /** Offset of the token's first character in the template source. */
  pos: number;
  /** For `"text #{expression} text"`: literal text and the tokens of each embedded expression. */
  parts?: Array<string | { tokens: Token[]; end: number }>;
}

/** A piece of a template: literal text, an output `{{ }}`, or a tag `{% %}` with its tokens. */
export type Segment =
  | { kind: 'text'; value: string; pos: number }
  | { kind: 'print'; tokens: Token[]; pos: number; end: number }
  | { kind: 'tag'; name: string; tokens: Token[]; pos: number; end: number };

/** Longest first, so `??` wins over `?` and `//` over `/`. */
const PUNCTUATION = [
  '??',
  '==',
  '!=',
  '<=',
  '>=',
  '//',
  '..',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '.',
  '|',
  '?',
  '~',
  '=',
];
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };

function isNameStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}
function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/**
 * Tokenizes an expression from `start` until `closer` (`}}` or `%}`) at bracket depth 0,
 * or until the end of the source when `closer` is null. Returns the tokens, the offset just
 * after the closer, and whether the closer carried the `-` whitespace-trim marker.
 */
export function tokenizeExpression(
  source: string,
  start: number,
  closer: '}}' | '%}' | '}' | null,
  openPos: number,
): { tokens: Token[]; end: number; trimAfter: boolean } {
  const tokens: Token[] = [];
  let depth = 0;
  let i = start;
  const n = source.length;
  while (i < n) {
    const code = source.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    if (closer && depth === 0) {
      if (source.startsWith(closer, i)) return { tokens, end: i + closer.length, trimAfter: false };
      if (closer !== '}' && code === 45 && source.startsWith(closer, i + 1)) {
        return { tokens, end: i + 3, trimAfter: true };
      }
    }
    if (isNameStart(code)) {
      let j = i + 1;
      while (j < n && (isNameStart(source.charCodeAt(j)) || isDigit(source.charCodeAt(j)))) j++;
      tokens.push({ type: 'name', value: source.slice(i, j), pos: i });
      i = j;
      continue;
    }
    if (isDigit(code)) {
      let j = i + 1;
      while (j < n && isDigit(source.charCodeAt(j))) j++;
      // A dot starts a fraction only when a digit follows, so `1..5` stays a range.
      if (source[j] === '.' && isDigit(source.charCodeAt(j + 1))) {
        j += 2;
        while (j < n && isDigit(source.charCodeAt(j))) j++;
      }
      if ((source[j] === 'e' || source[j] === 'E') && /^[eE][+-]?\d/.test(source.slice(j, j + 3))) {
        j += 2;
        while (j < n && isDigit(source.charCodeAt(j))) j++;
      }
      tokens.push({ type: 'number', value: source.slice(i, j), pos: i });
      i = j;
      continue;
    }
    if (code === 39 || code === 34) {
      const quote = source[i];
      let j = i + 1;
      let value = '';
      const parts: Array<string | { tokens: Token[]; end: number }> = [];
      while (j < n && source[j] !== quote) {
        if (quote === '"' && source[j] === '#' && source[j + 1] === '{') {
          // Pebble string interpolation: "Hello #{ name }".
          parts.push(value);
          value = '';
          const inner = tokenizeExpression(source, j + 2, '}', j);
          parts.push({ tokens: inner.tokens, end: inner.end });
          j = inner.end;
        } else if (source[j] === '\\' && j + 1 < n) {
          const next = source[j + 1] as string;
          value += ESCAPES[next] ?? `\\${next}`;
          j += 2;
        } else {
          value += source[j];
          j++;
        }
      }
      if (j >= n) throw new TemplateError(`unterminated string: add the closing ${quote}`, source, i);
      if (parts.length > 0) {
        parts.push(value);
        tokens.push({ type: 'interpolation', value: '', pos: i, parts });
      } else tokens.push({ type: 'string', value, pos: i });
      i = j + 1;
      continue;
    }
    const punct = PUNCTUATION.find((p) => source.startsWith(p, i));
    if (!punct) throw new TemplateError(`unexpected character '${source[i]}' in expression`, source, i);
    if (punct === '(' || punct === '[' || punct === '{') depth++;
    else if (punct === ')' || punct === ']' || punct === '}') depth--;
    tokens.push({ type: 'punct', value: punct, pos: i });
    i += punct.length;
  }
  if (closer) {
    const opener = closer === '}}' ? '{{' : closer === '%}' ? '{%' : '#{';
    throw new TemplateError(`'${opener}' is never closed: add '${closer}'`, source, openPos);
  }
  return { tokens, end: n, trimAfter: false };
}

const ENDRAW = /\{%(-?)\s*endraw\s*(-?)%\}/g;

function trimStartText(text: string): string {
  return text.replace(/^\s+/, '');
}
function trimEndText(text: string): string {
  return text.replace(/\s+$/, '');
}

/** Splits a template into text, outputs and tags; comments are dropped, `raw` blocks become text. */
export function lexTemplate(source: string): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  let trimNext = false;
  const pushText = (text: string, pos: number, trimEnd: boolean) => {
    let value = trimNext ? trimStartText(text) : text;
    if (trimEnd) value = trimEndText(value);
    trimNext = false;
    if (value) segments.push({ kind: 'text', value, pos });
  };
  while (i < source.length) {
    let open = source.indexOf('{', i);
    while (open !== -1) {
      const next = source[open + 1];
      if (next === '{' || next === '%' || next === '#') break;
      open = source.indexOf('{', open + 1);
    }
    if (open === -1) {
      pushText(source.slice(i), i, false);
      break;
    }
    const marker = source[open + 1];
    const trimBefore = source[open + 2] === '-';
    pushText(source.slice(i, open), i, trimBefore);
    const inner = open + 2 + (trimBefore ? 1 : 0);
    if (marker === '#') {
      const close = source.indexOf('#}', inner);
      if (close === -1) throw new TemplateError("comment '{#' is never closed: add '#}'", source, open);
      trimNext = source[close - 1] === '-' && close - 1 >= inner;
      i = close + 2;
      continue;
    }
    const closer = marker === '{' ? '}}' : '%}';
    const { tokens, end, trimAfter } = tokenizeExpression(source, inner, closer, open);
    trimNext = trimAfter;
    i = end;
    if (marker === '{') {
      segments.push({ kind: 'print', tokens, pos: open, end });
      continue;
    }
    const first = tokens[0];
    if (first?.type !== 'name')
      throw new TemplateError("a tag '{% %}' must start with its name, e.g. {% if x %}", source, open);
    if (first.value === 'raw') {
      ENDRAW.lastIndex = end;
      const match = ENDRAW.exec(source);
      if (!match) throw new TemplateError("'{% raw %}' is never closed: add '{% endraw %}'", source, open);
      pushText(source.slice(end, match.index), end, match[1] === '-');
      trimNext = match[2] === '-';
      i = match.index + match[0].length;
      continue;
    }
    segments.push({ kind: 'tag', name: first.value, tokens: tokens.slice(1), pos: open, end });
  }
  return segments;
}
