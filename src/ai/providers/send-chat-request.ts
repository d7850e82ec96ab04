import type { TaskLogger } from '../../plugin/run-context.ts';
import type { ChatConfiguration } from '../spec/chat-model.ts';
import { withProviderErrors } from './provider-errors.ts';

/** Where one chat request goes, for errors, and how the flow wants it logged. */
export interface ChatRequestContext {
  /** Provider name in errors, e.g. `openai`. */
  provider: string;
  /** What the request is, for errors, e.g. `chat completion with model 'gpt-4o-mini'`. */
  what: string;
  logger: TaskLogger;
  /** Its `logRequests` / `logResponses` switch the logging on. */
  configuration: ChatConfiguration;
  abortSignal: AbortSignal;
}

/**
 * Sends one chat request the way every remote provider does: the request and the response are
 * logged at INFO when the flow sets `logRequests` / `logResponses` (like the reference), and a
 * failure is mapped with `toProviderError`. `send` does the provider's own call.
 */
export async function sendChatRequest<Request, Response>(
  context: ChatRequestContext,
  request: Request,
  send: (request: Request) => Promise<Response>,
): Promise<Response> {
  const { logger, configuration } = context;
  if (configuration.logRequests) logger.info(`request: ${JSON.stringify(request)}`);
  const response = await withProviderErrors(context.provider, context.what, context.abortSignal, () => send(request));
  if (configuration.logResponses) logger.info(`response: ${JSON.stringify(response)}`);
  return response;
}
