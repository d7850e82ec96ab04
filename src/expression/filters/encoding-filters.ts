import { createHash } from 'node:crypto';
import { ExpressionValueError } from '../template-error.ts';
import type { ExpressionFilter } from '../types.ts';
import { toText } from '../values.ts';
import { inputString } from './filter-arguments.ts';

function hash(algorithm: string): ExpressionFilter {
  return (input) => createHash(algorithm).update(toText(input)).digest('hex');
}

/** Java's URLEncoder: form encoding, space as '+', only `.-*_` left unescaped among symbols. */
function urlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Base64, URL encoding and hashes. */
export const encodingFilters: Record<string, ExpressionFilter> = {
  base64encode: (input) => Buffer.from(toText(input), 'utf8').toString('base64'),
  base64decode: (input) => {
    const value = inputString(input) ?? '';
    if (!/^[A-Za-z0-9+/\-_]*={0,2}$/.test(value.replace(/\s/g, ''))) {
      throw new ExpressionValueError('input is not base64 text');
    }
    return Buffer.from(value, 'base64').toString('utf8');
  },
  urlencode: (input) => urlEncode(toText(input)),
  urldecode: (input) => {
    try {
      return decodeURIComponent(toText(input).replace(/\+/g, ' '));
    } catch {
      throw new ExpressionValueError('input is not valid URL-encoded text');
    }
  },
  md5: hash('md5'),
  sha1: hash('sha1'),
  sha256: hash('sha256'),
  sha512: hash('sha512'),
};
