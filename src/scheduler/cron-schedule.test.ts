import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CronSchedule } from './cron-schedule.ts';
import { formatZoned } from './zoned-date.ts';

const next = (cron: string, after: string, options: ConstructorParameters<typeof CronSchedule>[1] = {}) =>
  new CronSchedule(cron, options).next(new Date(after))?.toISOString();

describe('CronSchedule', () => {
  test('5-field expressions: lists, ranges, steps, names', () => {
    assert.equal(next('0 3 * * *', '2026-01-01T03:00:00Z'), '2026-01-02T03:00:00.000Z');
    assert.equal(next('*/15 * * * *', '2026-01-01T10:07:00Z'), '2026-01-01T10:15:00.000Z');
    assert.equal(next('0 9 * * MON-FRI', '2026-01-02T10:00:00Z'), '2026-01-05T09:00:00.000Z');
    assert.equal(next('30 8 1,15 * *', '2026-01-02T00:00:00Z'), '2026-01-15T08:30:00.000Z');
    assert.equal(next('0 0 * JAN,JUL *', '2026-02-01T00:00:00Z'), '2026-07-01T00:00:00.000Z');
  });

  test('withSeconds reads a leading seconds field; without it 6 fields are refused', () => {
    assert.equal(next('*/5 * * * * *', '2026-01-01T00:00:01Z', { withSeconds: true }), '2026-01-01T00:00:05.000Z');
    assert.equal(next('30 0 3 * * *', '2026-01-01T00:00:00Z', { withSeconds: true }), '2026-01-01T03:00:30.000Z');
    assert.throws(
      () => new CronSchedule('* * * * * *'),
      /invalid cron '\* \* \* \* \* \*'.*set withSeconds: true for 6/,
    );
    assert.throws(
      () => new CronSchedule('0 3 * *', { where: 'flow a/b, trigger t' }),
      /^Error: flow a\/b, trigger t: invalid cron/,
    );
    assert.throws(() => new CronSchedule('61 * * * *'), /invalid cron/);
  });

  test('macros @yearly … @hourly', () => {
    const after = '2026-03-15T10:30:00Z';
    assert.equal(next('@hourly', after), '2026-03-15T11:00:00.000Z');
    assert.equal(next('@daily', after), '2026-03-16T00:00:00.000Z');
    assert.equal(next('@midnight', after), '2026-03-16T00:00:00.000Z');
    assert.equal(next('@weekly', after), '2026-03-22T00:00:00.000Z');
    assert.equal(next('@monthly', after), '2026-04-01T00:00:00.000Z');
    assert.equal(next('@yearly', after), '2027-01-01T00:00:00.000Z');
    assert.equal(next('@annually', after), '2027-01-01T00:00:00.000Z');
    assert.equal(next('@daily', after, { withSeconds: true }), '2026-03-16T00:00:00.000Z');
  });

  test('time zones, and the DST rule: a skipped time runs after the gap, a repeated time runs once', () => {
    const paris = { timezone: 'Europe/Paris' };
    assert.equal(next('0 3 * * *', '2026-01-10T12:00:00Z', paris), '2026-01-11T02:00:00.000Z');
    assert.equal(next('0 3 * * *', '2026-07-10T12:00:00Z', paris), '2026-07-11T01:00:00.000Z');
    const daily = new CronSchedule('30 2 * * *', paris);
    // 2026-03-29: 02:00 → 03:00 in Paris; 02:30 does not exist and runs at 03:00 (01:00Z).
    assert.equal(daily.next(new Date('2026-03-28T12:00:00Z'))?.toISOString(), '2026-03-29T01:00:00.000Z');
    // 2026-10-25: 03:00 → 02:00; 02:30 happens twice and runs once, at the first (00:30Z).
    const fall = daily.between(new Date('2026-10-24T12:00:00Z'), new Date('2026-10-26T12:00:00Z'));
    assert.deepEqual(
      fall.map((d) => d.toISOString()),
      ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
    );
    assert.throws(
      () => new CronSchedule('0 3 * * *', { timezone: 'Mars/Olympus' }),
      /unknown time zone 'Mars\/Olympus'/,
    );
    assert.equal(formatZoned(new Date('2026-03-29T01:00:00Z'), 'Europe/Paris'), '2026-03-29T03:00:00+02:00');
    assert.equal(formatZoned(new Date('2026-01-01T05:00:00Z'), 'America/New_York'), '2026-01-01T00:00:00-05:00');
    assert.equal(formatZoned(new Date('2026-01-01T05:00:00Z'), 'UTC'), '2026-01-01T05:00:00Z');
  });
});
