import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chunkId } from './chunk-id.ts';
import { type Chunk, type SplitterOptions, splitText } from './split-text.ts';

const KINDS: SplitterOptions['splitter'][] = ['RECURSIVE', 'PARAGRAPH', 'LINE', 'SENTENCE', 'WORD'];

function assertExact(text: string, chunks: Chunk[], max: number): void {
  chunks.forEach((chunk, index) => {
    assert.equal(chunk.index, index);
    assert.equal(text.slice(chunk.start, chunk.end), chunk.text, `chunk ${index} offsets`);
    assert.ok(chunk.text.length <= max, `chunk ${index} is ${chunk.text.length} > ${max}`);
    assert.equal(chunk.text, chunk.text.trim());
  });
}

/** Every non-space character of the text is in some chunk (nothing is lost). */
function assertCovers(text: string, chunks: Chunk[]): void {
  const covered = new Uint8Array(text.length);
  for (const chunk of chunks) covered.fill(1, chunk.start, chunk.end);
  for (let i = 0; i < text.length; i++) {
    if (!/\s/.test(text.charAt(i))) assert.equal(covered[i], 1, `character ${i} '${text.charAt(i)}' lost`);
  }
}

const ARTICLE = [
  '# Vector search',
  '',
  'Dr. Smith measured 3.14 ms per query. The index held 1.5 million vectors! Was that fast? It was, e.g. for a laptop.',
  '',
  'Second paragraph.\nIt wraps over lines.\nAnd has a third line that is a little longer than the others.',
  '',
  '',
  `A long paragraph ${'with many words in it '.repeat(30)}ends here. And another sentence follows it.`,
  '',
  `https://example.com/${'x'.repeat(300)}`,
].join('\n');

describe('splitText', () => {
  test('without options the whole trimmed document is one chunk; blank text gives none', () => {
    assert.deepEqual(splitText('  hello world \n'), [{ text: 'hello world', index: 0, start: 2, end: 13 }]);
    assert.deepEqual(splitText(' \n\t '), []);
    assert.deepEqual(splitText('', { splitter: 'RECURSIVE', maxSegmentSizeInChars: 10, maxOverlapSizeInChars: 0 }), []);
  });

  for (const splitter of KINDS) {
    test(`${splitter}: every chunk fits, offsets are exact, no text is lost`, () => {
      for (const [max, overlap] of [
        [40, 0],
        [100, 30],
        [400, 100],
      ] as const) {
        const chunks = splitText(ARTICLE, { splitter, maxSegmentSizeInChars: max, maxOverlapSizeInChars: overlap });
        assert.ok(chunks.length > 0);
        assertExact(ARTICLE, chunks, max);
        assertCovers(ARTICLE, chunks);
      }
    });
  }

  test('RECURSIVE keeps paragraphs whole when they fit, and packs several into one chunk', () => {
    const text = 'Alpha one.\n\nBeta two.\n\nGamma three is longer.';
    const chunks = splitText(text, { splitter: 'RECURSIVE', maxSegmentSizeInChars: 25, maxOverlapSizeInChars: 0 });
    assert.deepEqual(
      chunks.map((chunk) => chunk.text),
      ['Alpha one.\n\nBeta two.', 'Gamma three is longer.'],
    );
  });

  test('blank lines holding spaces, and CRLF line ends, separate paragraphs too', () => {
    for (const blank of ['\n\n', '\n  \t\n', '\r\n\r\n', '\n\n\n\n']) {
      const text = `Alpha one.${blank}Beta two.${blank}Gamma three is longer.`;
      const chunks = splitText(text, { splitter: 'PARAGRAPH', maxSegmentSizeInChars: 25, maxOverlapSizeInChars: 0 });
      assert.deepEqual(
        chunks.map((chunk) => chunk.text),
        [`Alpha one.${blank}Beta two.`.replace(/\r$/, ''), 'Gamma three is longer.'].map((t) => t.trim()),
        JSON.stringify(blank),
      );
    }
  });

  test('a blank line that opens with a tab, form feed or CR and then holds spaces separates paragraphs too', () => {
    for (const blank of ['\n\t \n', '\r\n\f \r\n', '\n\v  \n']) {
      for (const splitter of ['PARAGRAPH', 'RECURSIVE'] as const) {
        const text = `Xx.\n\nAlpha.${blank}Beta.`;
        const chunks = splitText(text, { splitter, maxSegmentSizeInChars: 12, maxOverlapSizeInChars: 0 });
        assert.deepEqual(
          chunks.map((chunk) => chunk.text),
          ['Xx.\n\nAlpha.', 'Beta.'],
          `${splitter} ${JSON.stringify(blank)}`,
        );
      }
    }
  });

  test('empty or blank input gives no chunk, for every kind', () => {
    for (const splitter of KINDS) {
      for (const text of ['', ' ', '\n\n\r\n', '\t\u00a0\u3000']) {
        assert.deepEqual(splitText(text, { splitter, maxSegmentSizeInChars: 10, maxOverlapSizeInChars: 3 }), []);
      }
    }
  });

  test('text without any separator is cut at the maximum, with no overlap (it has no sentence start)', () => {
    const text = 'x'.repeat(25);
    for (const splitter of KINDS) {
      const chunks = splitText(text, { splitter, maxSegmentSizeInChars: 10, maxOverlapSizeInChars: 4 });
      assert.deepEqual(
        chunks.map((chunk) => [chunk.start, chunk.end]),
        [
          [0, 10],
          [10, 20],
          [20, 25],
        ],
        splitter,
      );
    }
  });

  test('a word longer than the maximum is cut, and the words around it stay whole', () => {
    const text = `Short words here. ${'y'.repeat(45)} and more.`;
    const chunks = splitText(text, { splitter: 'RECURSIVE', maxSegmentSizeInChars: 20, maxOverlapSizeInChars: 8 });
    assertExact(text, chunks, 20);
    assertCovers(text, chunks);
    assert.deepEqual(
      chunks.map((chunk) => chunk.text),
      ['Short words here.', 'y'.repeat(20), 'y'.repeat(20), 'y'.repeat(5), 'and more.'],
    );
  });

  test('CRLF lines: LINE chunks never end with a CR and keep the CRLF between packed lines', () => {
    const text = 'first line\r\nsecond line\r\nthird line\r\n';
    const one = splitText(text, { splitter: 'LINE', maxSegmentSizeInChars: 15, maxOverlapSizeInChars: 0 });
    assert.deepEqual(
      one.map((chunk) => [chunk.start, chunk.end, chunk.text]),
      [
        [0, 10, 'first line'],
        [12, 23, 'second line'],
        [25, 35, 'third line'],
      ],
    );
    const packed = splitText(text, { splitter: 'LINE', maxSegmentSizeInChars: 30, maxOverlapSizeInChars: 0 });
    assert.deepEqual(
      packed.map((chunk) => chunk.text),
      ['first line\r\nsecond line', 'third line'],
    );
  });

  test('an overlap larger than half the chunk still moves forward and keeps chunks within the maximum', () => {
    const text = 'One is first. Two is second. Three is third. Four is fourth.';
    for (const splitter of ['SENTENCE', 'RECURSIVE'] as const) {
      const chunks = splitText(text, { splitter, maxSegmentSizeInChars: 32, maxOverlapSizeInChars: 25 });
      assertExact(text, chunks, 32);
      assert.deepEqual(
        chunks.map((chunk) => chunk.text),
        ['One is first. Two is second.', 'Two is second. Three is third.', 'Three is third. Four is fourth.'],
        splitter,
      );
    }
  });

  test('overlap repeats whole sentences of the previous chunk, never more than the maximum', () => {
    const text = 'One is first. Two is second. Three is third. Four is fourth. Five is fifth.';
    const chunks = splitText(text, { splitter: 'SENTENCE', maxSegmentSizeInChars: 30, maxOverlapSizeInChars: 15 });
    assert.deepEqual(
      chunks.map((chunk) => chunk.text),
      // "Three is third. Four is fourth." would be 31 > 30: that overlap is dropped to fit.
      ['One is first. Two is second.', 'Two is second. Three is third.', 'Four is fourth. Five is fifth.'],
    );
    const none = splitText(text, { splitter: 'SENTENCE', maxSegmentSizeInChars: 30, maxOverlapSizeInChars: 10 });
    assert.deepEqual(
      none.map((chunk) => chunk.text),
      ['One is first. Two is second.', 'Three is third.', 'Four is fourth. Five is fifth.'],
    );
  });

  test('overlap never starts at the closing bracket after a full-width stop that ends the previous chunk', () => {
    const text = `彼は言った。「${'あ'.repeat(240)}。」\n\n${'い'.repeat(80)}。`;
    for (const splitter of ['RECURSIVE', 'PARAGRAPH', 'SENTENCE'] as const) {
      const chunks = splitText(text, { splitter, maxSegmentSizeInChars: 300, maxOverlapSizeInChars: 100 });
      assertExact(text, chunks, 300);
      assert.equal(chunks.length, 2, splitter);
      assert.ok(chunks[0]!.text.endsWith('。」'), splitter);
      assert.ok(chunks[1]!.text.startsWith('い'), `${splitter}: ${JSON.stringify(chunks[1]!.text.slice(0, 5))}`);
    }
  });

  test('SENTENCE does not cut at abbreviations, initials, decimals or list numbers', () => {
    const text = 'Dr. Smith paid 3.14 dollars, i.e. not much. J. R. R. Tolkien wrote it.\n1. Install it. Then run it!';
    const chunks = splitText(text, { splitter: 'SENTENCE', maxSegmentSizeInChars: 30, maxOverlapSizeInChars: 0 });
    assert.deepEqual(
      chunks.map((chunk) => chunk.text),
      ['Dr. Smith paid 3.14 dollars,', 'i.e. not much.', 'J. R. R. Tolkien wrote it.', '1. Install it. Then run it!'],
    );
  });

  test('non-Latin scripts split at their own sentence stops and never break a surrogate pair', () => {
    const japanese = '東京は日本の首都です。大阪は西にあります。京都には古い寺がたくさんあります。';
    const chunks = splitText(japanese, { splitter: 'SENTENCE', maxSegmentSizeInChars: 22, maxOverlapSizeInChars: 0 });
    assert.deepEqual(
      chunks.map((chunk) => chunk.text),
      ['東京は日本の首都です。大阪は西にあります。', '京都には古い寺がたくさんあります。'],
    );
    const overlapped = splitText(japanese, {
      splitter: 'SENTENCE',
      maxSegmentSizeInChars: 30,
      maxOverlapSizeInChars: 12,
    });
    assert.deepEqual(
      overlapped.map((chunk) => chunk.text),
      ['東京は日本の首都です。大阪は西にあります。', '大阪は西にあります。京都には古い寺がたくさんあります。'],
    );
    const russian = 'Москва — столица России. Здесь живёт много людей! Правда?';
    const ru = splitText(russian, { splitter: 'SENTENCE', maxSegmentSizeInChars: 26, maxOverlapSizeInChars: 0 });
    assert.deepEqual(
      ru.map((chunk) => chunk.text),
      ['Москва — столица России.', 'Здесь живёт много людей!', 'Правда?'],
    );
    const emoji = '😀'.repeat(50);
    const pieces = splitText(emoji, { splitter: 'WORD', maxSegmentSizeInChars: 7, maxOverlapSizeInChars: 0 });
    for (const piece of pieces) assert.doesNotMatch(piece.text, /[\ud800-\udbff](?![\udc00-\udfff])/);
    assert.equal(pieces.map((piece) => piece.text).join(''), emoji);
  });

  test('a word longer than the maximum is cut into pieces of the maximum', () => {
    const chunks = splitText('a'.repeat(25), { splitter: 'WORD', maxSegmentSizeInChars: 10, maxOverlapSizeInChars: 0 });
    assert.deepEqual(
      chunks.map((chunk) => chunk.text.length),
      [10, 10, 5],
    );
  });

  test('bad options fail with a message naming the property', () => {
    const bad = (options: Partial<SplitterOptions>) => () =>
      splitText('x', {
        splitter: 'RECURSIVE',
        maxSegmentSizeInChars: 10,
        maxOverlapSizeInChars: 0,
        ...options,
      } as SplitterOptions);
    assert.throws(bad({ maxSegmentSizeInChars: 0 }), /maxSegmentSizeInChars/);
    assert.throws(bad({ maxOverlapSizeInChars: 10 }), /maxOverlapSizeInChars/);
    assert.throws(bad({ splitter: 'TOKEN' as SplitterOptions['splitter'] }), /unknown kind 'TOKEN'/);
  });

  test('random texts of words, stops, quotes, newlines and other scripts keep every invariant', () => {
    // A seeded generator: the same texts on every run.
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pieces = [
      'word',
      'Word',
      'e.g.',
      'Dr.',
      '3.14',
      '.',
      '!',
      '?',
      '"',
      ')',
      ' ',
      ' ',
      ' ',
      '\n',
      '\n\n',
      '\n \n',
      '\r\n',
      '東京。',
      '😀',
      'x'.repeat(40),
      '…',
      '1.',
      '\u2003',
      '\u00a0',
      '\u3000',
    ];
    for (let round = 0; round < 200; round++) {
      let text = '';
      const length = Math.floor(random() * 400);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
      const max = 1 + Math.floor(random() * 120);
      const overlap = Math.floor(random() * max);
      const splitter = KINDS[round % KINDS.length]!;
      const chunks = splitText(text, { splitter, maxSegmentSizeInChars: max, maxOverlapSizeInChars: overlap });
      assertExact(text, chunks, max);
      assertCovers(text, chunks);
      for (let i = 1; i < chunks.length; i++) {
        assert.ok(chunks[i]!.start > chunks[i - 1]!.start, 'chunks advance');
        assert.ok(chunks[i]!.start >= chunks[i - 1]!.end - overlap, 'overlap within the maximum');
      }
    }
  });

  test('a 5 MB document without any break splits without running away', () => {
    const text = 'word '.repeat(1_000_000);
    const chunks = splitText(text, { splitter: 'RECURSIVE', maxSegmentSizeInChars: 1000, maxOverlapSizeInChars: 200 });
    assert.ok(chunks.length >= 5000);
    assertExact(text, chunks.slice(0, 50), 1000);
  });
});

describe('chunkId', () => {
  test('is UUID-shaped and the same for the same source, index and text', () => {
    const chunk = { text: 'hello', index: 0, start: 0, end: 5 };
    const id = chunkId('path:a.md', chunk);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(chunkId('path:a.md', { ...chunk }), id);
    assert.notEqual(chunkId('path:b.md', chunk), id);
    assert.notEqual(chunkId('path:a.md', { ...chunk, index: 1 }), id);
    assert.notEqual(chunkId('path:a.md', { ...chunk, text: 'hello!' }), id);
  });
});
