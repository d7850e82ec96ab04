import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate, render, TemplateError } from './index.ts';

/** A small seeded generator, so the sweep is the same on every run. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const PIECES = [
  '{{',
  '}}',
  '{%',
  '%}',
  '{#',
  '#}',
  '-',
  ' ',
  'a',
  'b.c',
  'list',
  'map',
  "'s'",
  '"d #{a}"',
  '1',
  '2.5',
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
  'upper',
  'default(1)',
  'length',
  'date',
  'join',
  '?',
  '??',
  '~',
  '+',
  '*',
  '/',
  '%',
  '==',
  '<',
  'and',
  'or',
  'not',
  'is',
  'defined',
  'in',
  '..',
  'if',
  'endif',
  'for',
  'x',
  'endfor',
  'else',
  'set',
  '=',
  'raw',
  'endraw',
  'range(1, 3)',
  'now()',
  'fromJson',
  'null',
  'true',
  '\n',
  '\\',
  "'",
  '"',
  'loop.index',
  '__proto__',
  'constructor',
];
const variables = { a: 1, b: { c: 'text' }, list: [1, 2, 3], map: { k: 'v' } };

describe('fuzzing', () => {
  test('random templates render or fail with a TemplateError, never anything else', async () => {
    const random = generator(42);
    let rendered = 0;
    for (let i = 0; i < 3000; i++) {
      const length = 1 + Math.floor(random() * 14);
      let source = '';
      for (let j = 0; j < length; j++) source += PIECES[Math.floor(random() * PIECES.length)];
      for (const run of [() => render(source, { variables }), () => evaluate(source, { variables })]) {
        try {
          await run();
          rendered++;
        } catch (error) {
          assert.ok(error instanceof TemplateError, `${JSON.stringify(source)} threw ${String(error)}`);
          assert.ok(error.message.length > 0);
        }
      }
    }
    assert.ok(rendered > 100, `only ${rendered} of the random templates rendered`);
  });
});
