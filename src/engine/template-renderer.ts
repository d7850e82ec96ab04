import { type ExpressionFunction, render } from '../expression/index.ts';
import type { FileStorage } from '../plugin/run-context.ts';
import type { Repository } from '../repository/repository.ts';
import type { SecretMasker } from '../secrets/secret-masker.ts';
import type { SecretStore } from '../secrets/secret-store.ts';

export interface TemplateHost {
  secrets: SecretStore;
  masker: SecretMasker;
  repository: Repository;
  namespace: string;
  storage: FileStorage;
}

/** The functions templates get from the engine: `secret()`, `kv()`, `read()`. */
export function hostFunctions(host: TemplateHost): Record<string, ExpressionFunction> {
  return {
    secret: (call) => {
      const name = String(call.positional[0] ?? call.named.key ?? '');
      const value = host.secrets.get(name);
      host.masker.add(value);
      return value;
    },
    kv: async (call) => {
      const key = String(call.positional[0] ?? call.named.key ?? '');
      const namespace = String(call.positional[1] ?? call.named.namespace ?? host.namespace);
      const errorOnMissing = call.positional[2] ?? call.named.errorOnMissing ?? true;
      const entry = await host.repository.kv.get(namespace, key);
      if (!entry) {
        if (errorOnMissing === false) return null;
        throw new Error(`kv('${key}'): no such key in namespace '${namespace}'`);
      }
      return entry.value;
    },
    read: async (call) => {
      const uri = String(call.positional[0] ?? call.named.path ?? '');
      return Buffer.from(await host.storage.get(uri)).toString('utf8');
    },
  };
}

/** A renderer bound to one execution's host functions and a set of variables. */
export function templateRenderer(host: TemplateHost) {
  const functions = hostFunctions(host);
  return (template: string, variables: Record<string, unknown>) => render(template, { variables, functions });
}
