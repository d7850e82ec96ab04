import type { AnyTaskDefinition } from '../../plugin/define-plugin.ts';
import { chatCompletionTask } from './chat-completion-task.ts';
import { ingestDocumentTask } from './ingest-document-task.ts';
import { ragChatCompletionTask } from './rag-chat-completion-task.ts';
import { searchTask } from './search-task.ts';

export { pluginRegistryOf } from './registry-access.ts';

/** The AI tasks: rag.IngestDocument, rag.ChatCompletion, rag.Search, completion.ChatCompletion. */
export const aiTaskPlugins: AnyTaskDefinition[] = [
  ingestDocumentTask,
  ragChatCompletionTask,
  searchTask,
  chatCompletionTask,
] as AnyTaskDefinition[];
