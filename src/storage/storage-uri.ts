import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The scheme of internal-storage URIs, as the reference writes them: `kestra:///a/b/file`. */
export const STORAGE_SCHEME = 'kestra://';

/** A storage URI that is malformed or points outside the storage root. */
export class StorageUriError extends Error {
  override name = 'StorageUriError';
}

function describe(uri: string): string {
  return `'${uri.length > 200 ? `${uri.slice(0, 200)}…` : uri}'`;
}

/**
 * The file a `kestra:///…` URI names below `root`. Each path segment is percent-decoded once;
 * `..`, `.`, empty, NUL or backslash segments (encoded or not) are refused, so no URI can
 * reach a file outside the root.
 */
export function pathOfUri(root: string, uri: string): string {
  if (typeof uri !== 'string' || !uri.startsWith(`${STORAGE_SCHEME}/`)) {
    throw new StorageUriError(
      `storage URI ${describe(String(uri))} must start with ${STORAGE_SCHEME}/ (e.g. kestra:///namespace/flow/executions/id/file.txt)`,
    );
  }
  const rawSegments = uri.slice(STORAGE_SCHEME.length + 1).split('/');
  const segments = rawSegments.map((raw) => {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw new StorageUriError(`storage URI ${describe(uri)} has an invalid percent-encoding in '${raw}'`);
    }
    if (segment === '' || segment === '.' || segment === '..' || /[\\/\0]/.test(segment)) {
      throw new StorageUriError(
        `storage URI ${describe(uri)}: segment '${raw}' is not allowed (no empty, '.', '..', slashes or NUL in a segment)`,
      );
    }
    return segment;
  });
  const base = resolve(root);
  const path = resolve(join(base, ...segments));
  const rel = relative(base, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new StorageUriError(`storage URI ${describe(uri)} points outside the storage root`);
  }
  return path;
}

/** The URI of a path below `root` made of the given (unencoded) segments. */
export function uriOfSegments(segments: string[]): string {
  return `${STORAGE_SCHEME}/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}

/** Namespace `company.team` is stored as folders `company/team`, like the reference. */
export function namespaceSegments(namespace: string): string[] {
  const parts = namespace.split('.');
  if (parts.some((p) => p === '' || p === '..' || /[\\/\0]/.test(p))) {
    throw new StorageUriError(`namespace '${namespace}' cannot name a storage folder (empty part, '..', slash or NUL)`);
  }
  return parts;
}

/** A single path segment for an id (flow id, execution id); refuses anything path-like. */
export function checkedSegment(value: string, what: string): string {
  if (value === '' || value === '.' || value === '..' || /[\\/\0]/.test(value) || value.includes(sep)) {
    throw new StorageUriError(`${what} '${value}' cannot name a storage folder (empty, '.', '..', slash or NUL)`);
  }
  return value;
}

/**
 * A file name safe to store: path separators and control characters become `_`, length is
 * capped, and an empty or dot-only name becomes `file`.
 */
export function safeFileName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we strip
  let cleaned = String(name).replace(/[\\/\u0000-\u001f\u007f]/g, '_');
  if (cleaned.length > 180) cleaned = cleaned.slice(cleaned.length - 180);
  return /^\.*$/.test(cleaned) ? 'file' : cleaned;
}
