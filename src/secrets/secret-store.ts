import { existsSync, readFileSync } from 'node:fs';

/** A secret that no source provides. The message says how to provide it. */
export class SecretNotFoundError extends Error {
  override name = 'SecretNotFoundError';
  constructor(readonly secretName: string) {
    super(
      `secret '${secretName}' is not set; provide it as the environment variable ` +
        `SECRET_${secretName.toUpperCase()} holding its base64 value, or for local use with ` +
        `--secret ${secretName.toUpperCase()}=value or a line in the secrets file (--secrets-file)`,
    );
  }
}

/**
 * Where `secret('name')` looks: the reference's OSS convention (environment variables
 * `SECRET_<NAME>` holding base64), then plain-text values given for local use
 * (`--secret NAME=value`, or a `NAME=value` secrets file). Lookup is case-insensitive.
 */
export class SecretStore {
  readonly #values = new Map<string, string>();
  readonly warnings: string[] = [];

  constructor(options: { env?: NodeJS.ProcessEnv; plain?: Record<string, string>; file?: string } = {}) {
    const env = options.env ?? process.env;
    for (const [name, value] of Object.entries(env)) {
      if (!name.startsWith('SECRET_') || value === undefined) continue;
      const key = name.slice('SECRET_'.length).toUpperCase();
      const compact = value.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
        this.warnings.push(`environment variable ${name} is not valid base64 and was skipped`);
        continue;
      }
      this.#values.set(key, Buffer.from(compact, 'base64').toString('utf8'));
    }
    if (options.file && existsSync(options.file)) {
      for (const [index, line] of readFileSync(options.file, 'utf8').split(/\r?\n/).entries()) {
        const trimmed = line.trim();
        if (!trimmed || trimmed.startsWith('#')) continue;
        const at = trimmed.indexOf('=');
        if (at <= 0) {
          this.warnings.push(`${options.file}:${index + 1}: expected NAME=value`);
          continue;
        }
        this.#values.set(trimmed.slice(0, at).trim().toUpperCase(), trimmed.slice(at + 1));
      }
    }
    for (const [name, value] of Object.entries(options.plain ?? {})) this.#values.set(name.toUpperCase(), value);
  }

  get(name: string): string {
    const value = this.#values.get(name.toUpperCase());
    if (value === undefined) throw new SecretNotFoundError(name);
    return value;
  }

  has(name: string): boolean {
    return this.#values.has(name.toUpperCase());
  }
}
