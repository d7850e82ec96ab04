import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTemplate, render, TemplateError } from './index.ts';

const variables = {
  items: ['a', 'b', 'c'],
  map: { one: 1, two: 2 },
  empty: [],
  flag: true,
  n: 3,
};
const r = (source: string) => render(source, { variables });

async function rejectsAt(source: string, pattern: RegExp, line: number, column: number) {
  await assert.rejects(render(source, { variables }), (error: unknown) => {
    assert.ok(error instanceof TemplateError, String(error));
    assert.match(error.message, pattern);
    assert.equal(error.line, line, error.message);
    assert.equal(error.column, column, error.message);
    return true;
  });
}

describe('tags', () => {
  test('if / elseif / else', async () => {
    const template = '{% if n > 5 %}big{% elseif n > 2 %}medium{% else %}small{% endif %}';
    assert.equal(await r(template), 'medium');
    assert.equal(await r('{% if not flag %}x{% else %}y{% endif %}'), 'y');
    assert.equal(await r('{% if empty %}x{% endif %}'), '');
  });

  test('for over a list with loop variables', async () => {
    const template =
      '{% for i in items %}{{ loop.index }}{{ i }}{{ loop.first ? "^" : "" }}{{ loop.last ? "$" : "" }}/{{ loop.length }} {% endfor %}';
    assert.equal(await r(template), '0a^/3 1b/3 2c$/3 ');
  });

  test('for over a map iterates key/value entries', async () => {
    assert.equal(await r('{% for e in map %}{{ e.key }}={{ e.value }};{% endfor %}'), 'one=1;two=2;');
  });

  test('for else renders when the list is empty', async () => {
    assert.equal(await r('{% for i in empty %}x{% else %}none{% endfor %}'), 'none');
  });

  test('nested loops keep their own loop variable', async () => {
    assert.equal(
      await r(
        '{% for a in [1,2] %}{% for b in [3,4] %}{{ a }}{{ b }}{{ loop.index }} {% endfor %}{{ loop.index }}|{% endfor %}',
      ),
      '130 141 0|230 241 1|',
    );
  });

  test('set assigns a variable', async () => {
    assert.equal(await r('{% set total = n * 2 %}{{ total }}'), '6');
  });

  test('raw keeps template syntax', async () => {
    assert.equal(await r('{% raw %}{{ not rendered }}{% endraw %}'), '{{ not rendered }}');
  });

  test('comments are dropped', async () => {
    assert.equal(await r('a{# note {{ x }} #}b'), 'ab');
  });

  test('whitespace control trims around tags and outputs', async () => {
    assert.equal(await r('a   {{- n -}}   b'), 'a3b');
    assert.equal(
      await r('<ul>\n  {%- for i in items %}\n  <li>{{ i }}</li>\n  {%- endfor %}\n</ul>'),
      '<ul>\n  <li>a</li>\n  <li>b</li>\n  <li>c</li>\n</ul>',
    );
    assert.equal(await r('x {#- c -#} y'), 'xy');
  });

  test('filter block applies filters to its body', async () => {
    assert.equal(await r('{% filter upper | trim %} hello {{ n }} {% endfilter %}'), 'HELLO 3');
  });

  test('newlines after tags are kept (no newline trimming)', async () => {
    assert.equal(await r('{% if flag %}\nyes\n{% endif %}\n'), '\nyes\n\n');
  });

  test('maps and lists print as JSON, null as empty', async () => {
    assert.equal(await r('{{ map }} {{ items }} [{{ null }}]'), '{"one":1,"two":2} ["a","b","c"] []');
  });
});

describe('syntax errors', () => {
  test('unclosed output', async () => {
    await rejectsAt('hello\n  {{ n', /'\{\{' is never closed/, 2, 3);
  });
  test('unclosed if', async () => {
    await rejectsAt('{% if flag %}x', /'\{% if %\}' is never closed: add '\{% endif %\}'/, 1, 1);
  });
  test('unknown tag', async () => {
    await rejectsAt('ab{% macro x %}', /unknown tag 'macro'/, 1, 3);
  });
  test('stray end tag', async () => {
    await rejectsAt('{% endfor %}', /has no matching opening tag/, 1, 1);
  });
  test('unexpected token', async () => {
    await rejectsAt('{{ n + }}', /unexpected '\}\}'|unexpected end/, 1, 8);
  });
  test('unterminated string', async () => {
    await rejectsAt("{{ 'abc }}", /unterminated string/, 1, 4);
  });
  test('empty output', async () => {
    await rejectsAt('x {{ }}', /empty output/, 1, 3);
  });
  test('unclosed comment and raw', async () => {
    await rejectsAt('{# x', /comment/, 1, 1);
    await rejectsAt('{% raw %}x', /endraw/, 1, 1);
  });
  test('parseTemplate caches by source', () => {
    assert.equal(parseTemplate('{{ a }}'), parseTemplate('{{ a }}'));
  });
});

describe('string interpolation', () => {
  test('works inside outputs and tags', async () => {
    assert.equal(await r('{{ "n is #{n}" }} {% if "#{n}" == "3" %}yes{% endif %}'), 'n is 3 yes');
  });
});
