import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { BasicAuthUser } from './server-deps.ts';

/**
 * Basic auth against configured users. The answer to a wrong user and to a wrong password is
 * the same 401, and comparisons take constant time, so neither reveals which part was wrong.
 */
export function basicAuth(users: BasicAuthUser[]): MiddlewareHandler {
  const expected = users.map((u) => Buffer.from(`${u.username}:${u.password}`));
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    const given = match?.[1] ? Buffer.from(match[1], 'base64') : Buffer.alloc(0);
    let ok = false;
    for (const candidate of expected) {
      const same = candidate.length === given.length && timingSafeEqual(candidate, given);
      ok ||= same;
    }
    if (!ok) {
      return c.json({ status: 401, message: 'authentication required' }, 401, {
        'www-authenticate': 'Basic realm="Windhover", charset="UTF-8"',
      });
    }
    await next();
  };
}

/** Users from `WINDHOVER_BASIC_AUTH=user:password` (several separated by commas). */
export function usersFromEnv(value = process.env.WINDHOVER_BASIC_AUTH): BasicAuthUser[] {
  if (!value) return [];
  return value
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair.includes(':'))
    .map((pair) => {
      const at = pair.indexOf(':');
      return { username: pair.slice(0, at), password: pair.slice(at + 1) };
    });
}
