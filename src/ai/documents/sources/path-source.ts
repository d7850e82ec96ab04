import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { DocumentLoadError } from '../loaded-document.ts';

/** A file found under `fromPath`. */
export interface PathEntry {
  /** Absolute path on disk. */
  absolute: string;
  /** Path relative to the fromPath root, with `/` separators (stable across platforms). */
  relative: string;
}

/** The source id of a file found under fromPath: prefixed so it never collides with URLs or URIs. */
export function pathSourceId(relative: string): string {
  return `path:${relative}`;
}

// Dot-directories (.git, .venv) and node_modules are never documents and can be huge.
function isSkippedDirectory(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/**
 * Lists the files of `fromPath` (relative to the working directory, or absolute),
 * recursively, filtered by `include`/`exclude` globs matched against the relative path,
 * in a stable (code-point) order. Hidden files and directories and node_modules are skipped.
 * Symbolic links to directories are not followed, so a link loop cannot hang the walk.
 */
export async function listPathEntries(
  fromPath: string,
  workingDirectory: string,
  include: string[] | undefined,
  exclude: string[] | undefined,
  signal: AbortSignal,
): Promise<PathEntry[]> {
  const root = path.resolve(workingDirectory, fromPath);
  const rootStat = await stat(root).catch((error: unknown) => {
    throw new DocumentLoadError(
      pathSourceId(fromPath),
      `fromPath '${fromPath}' does not exist (resolved to ${root}); paths are relative to the task's working directory`,
      { cause: error },
    );
  });
  if (rootStat.isFile()) return [{ absolute: root, relative: path.basename(root) }];
  const included = include !== undefined && include.length > 0 ? picomatch(include, { dot: true }) : () => true;
  const excluded = exclude !== undefined && exclude.length > 0 ? picomatch(exclude, { dot: true }) : () => false;
  const entries: PathEntry[] = [];
  const walk = async (directory: string, prefix: string): Promise<void> => {
    signal.throwIfAborted();
    let children: Dirent[];
    try {
      children = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      throw new DocumentLoadError(pathSourceId(prefix || '.'), `cannot read directory ${directory}`, { cause: error });
    }
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      const relative = prefix === '' ? child.name : `${prefix}/${child.name}`;
      const absolute = path.join(directory, child.name);
      if (child.isDirectory()) {
        if (!isSkippedDirectory(child.name) && !excluded(relative)) await walk(absolute, relative);
      } else if (
        child.isFile() ||
        (child.isSymbolicLink() && (await stat(absolute).catch(() => undefined))?.isFile())
      ) {
        if (!child.name.startsWith('.') && included(relative) && !excluded(relative))
          entries.push({ absolute, relative });
      }
    }
  };
  await walk(root, '');
  return entries;
}
