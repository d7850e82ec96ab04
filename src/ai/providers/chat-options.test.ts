import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { definedOnly, splitSystemMessages, summedUsage } from './chat-options.ts';

describe('chat options shared by the wire formats', () => {
  test('splitSystemMessages joins every SYSTEM message and keeps the turns in order', () => {
    const { system, turns } = splitSystemMessages([
      { type: 'SYSTEM', content: 'Be brief.' },
      { type: 'USER', content: 'Hi' },
      { type: 'SYSTEM', content: 'Answer in French.' },
      { type: 'AI', content: 'Bonjour' },
    ]);
    assert.equal(system, 'Be brief.\n\nAnswer in French.');
    assert.deepEqual(turns, [
      { type: 'USER', content: 'Hi' },
      { type: 'AI', content: 'Bonjour' },
    ]);
    assert.equal(splitSystemMessages([{ type: 'USER', content: 'x' }]).system, '');
  });

  test('definedOnly drops unset knobs and keeps falsy values the flow set', () => {
    assert.deepEqual(definedOnly({ temperature: 0, top_k: undefined, seed: 3, stop: false }), {
      temperature: 0,
      seed: 3,
      stop: false,
    });
  });

  test('summedUsage totals only when both counts are known', () => {
    assert.deepEqual(summedUsage(12, 4), { inputTokens: 12, outputTokens: 4, totalTokens: 16 });
    assert.deepEqual(summedUsage(9, undefined), { inputTokens: 9, outputTokens: undefined, totalTokens: undefined });
  });
});
