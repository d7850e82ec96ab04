import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate } from './index.ts';

const variables = { d: '2024-03-05T14:07:09.123Z', local: '2024-03-05T14:07:09', day: '2024-01-31' };
const e = (expression: string) => evaluate(expression, { variables });

describe('date filters', () => {
  test('Java patterns', async () => {
    assert.equal(await e("d | date('yyyy-MM-dd')"), '2024-03-05');
    assert.equal(await e("d | date('HH:mm')"), '14:07');
    assert.equal(await e('d | date("yyyy-MM-dd\'T\'HH:mm:ss.SSSXXX")'), '2024-03-05T14:07:09.123Z');
    assert.equal(await e("d | date('EEEE d MMMM yy, h:mm a')"), 'Tuesday 5 March 24, 2:07 PM');
    assert.equal(await e("d | date('EEE MMM dd D DDD')"), 'Tue Mar 05 65 065');
    assert.equal(await e("d | date('iso8601')"), '2024-03-05T14:07:09.123Z');
    assert.equal(await e("d | date('iso_date')"), '2024-03-05');
    assert.equal(await e("d | date(\"''yyyy''\")"), "'2024'");
  });

  test('time zones', async () => {
    assert.equal(await e("d | date('yyyy-MM-dd HH:mm XXX', timeZone='Europe/Paris')"), '2024-03-05 15:07 +01:00');
    assert.equal(await e("'2024-07-05T14:00:00Z' | date('HH:mm Z', timeZone='Europe/Paris')"), '16:00 +0200');
    assert.equal(await e("d | date('HH:mm', timeZone='America/New_York')"), '09:07');
    assert.equal(await e("local | date('HH:mm X', timeZone='Asia/Kolkata')"), '14:07 +0530');
    await assert.rejects(e("d | date('HH', timeZone='Mars/Base')"), /unknown time zone 'Mars\/Base'/);
  });

  test('existing format and epoch seconds', async () => {
    assert.equal(
      await e("'05/03/2024 10:30' | date('yyyy-MM-dd HH:mm', existingFormat='dd/MM/yyyy HH:mm')"),
      '2024-03-05 10:30',
    );
    assert.equal(await e("1700000000 | date('yyyy-MM-dd HH:mm:ss')"), '2023-11-14 22:13:20');
    await assert.rejects(e("'not a date' | date('yyyy')"), /'not a date' is not a date/);
  });

  test('dateAdd', async () => {
    assert.equal(await e("d | dateAdd(1, 'DAYS')"), '2024-03-06T14:07:09.123Z');
    assert.equal(await e("d | dateAdd(-2, 'HOURS')"), '2024-03-05T12:07:09.123Z');
    assert.equal(await e("day | dateAdd(1, 'MONTHS') | date('yyyy-MM-dd')"), '2024-02-29');
    assert.equal(await e("'2024-03-05T10:00:00+02:00' | dateAdd(1, 'YEARS')"), '2025-03-05T10:00:00.000+02:00');
    await assert.rejects(e("d | dateAdd(1, 'FORTNIGHTS')"), /unknown unit 'FORTNIGHTS'/);
  });

  test('timestamps', async () => {
    assert.equal(await e('d | timestamp'), 1709647629);
    assert.equal(await e('d | timestampMilli'), 1709647629123);
    assert.equal(await e('d | timestampMicro'), 1709647629123000);
    assert.equal(await e('d | timestampNano'), '1709647629123000000');
  });

  test('now() is an ISO-8601 instant, in a chosen time zone', async () => {
    const now = String(await e('now()'));
    assert.match(now, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.ok(Math.abs(Date.parse(now) - Date.now()) < 60_000);
    assert.match(String(await e("now(timeZone='Asia/Tokyo')")), /\+09:00$/);
    assert.match(String(await e("now() | date('yyyy-MM-dd')")), /^\d{4}-\d{2}-\d{2}$/);
  });
});
