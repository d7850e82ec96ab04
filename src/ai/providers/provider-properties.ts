import { z } from 'zod';
import { dynamic } from '../../plugin/dynamic.ts';
import { MissingApiKeyError, UnsupportedFeatureError } from '../errors.ts';

/** Properties every provider has (reference A.5: `modelName`, `baseUrl`, `clientPem`, `caPem`). */
export const baseProviderProperties = {
  modelName: dynamic(z.string().min(1)).meta({ description: 'The model to use, e.g. gpt-4o-mini.' }),
  baseUrl: dynamic(z.string().url())
    .optional()
    .meta({ description: 'Overrides the API endpoint (a gateway, a proxy, a compatible server).' }),
  clientPem: dynamic(z.string())
    .optional()
    .meta({ description: 'Client certificate (PEM) for mTLS. Not supported yet.' }),
  caPem: dynamic(z.string())
    .optional()
    .meta({ description: 'CA certificate (PEM). Not supported yet; set NODE_EXTRA_CA_CERTS instead.' }),
};

export const apiKeyProperty = dynamic(z.string()).meta({
  description: 'The API key; use a secret: "{{ secret(\'OPENAI_API_KEY\') }}".',
});

/** The API key, or an error naming the property and the secret to set. */
export function requireApiKey(providerType: string, value: unknown, secretName: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new MissingApiKeyError(providerType, 'apiKey', secretName);
  return value;
}

/** mTLS properties are accepted for compatibility but not implemented: say so instead of ignoring them. */
export function rejectTlsProperties(providerType: string, properties: Record<string, unknown>): void {
  for (const key of ['clientPem', 'caPem']) {
    if (properties[key] !== undefined) {
      throw new UnsupportedFeatureError(
        `${providerType}: property '${key}' is not supported yet; for a private CA set the NODE_EXTRA_CA_CERTS environment variable`,
        { provider: providerType },
      );
    }
  }
}

/** Trims a trailing slash so paths can be appended. */
export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
