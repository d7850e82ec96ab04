import { TYPE_ALIASES } from '../plugin/type-aliases.ts';

/**
 * Types the reference ships, so that a flow using one we do not implement yet gets a clear
 * "unsupported" error instead of "unknown type". Its core and AI plugin types are listed one by
 * one (a typo there must stay an unknown type with suggestions); any other `io.kestra.plugin.<x>.`
 * package is one of its many separate plugins (scripts, cloud, databases, notifications...).
 */
const AI_CLASSES: Record<string, string[]> = {
  rag: ['IngestDocument', 'ChatCompletion', 'Search'],
  completion: ['ChatCompletion', 'Classification', 'ImageGeneration', 'JSONStructuredExtraction'],
  agent: ['AIAgent', 'A2AClient'],
  mcp: ['ListTools', 'CallTool'],
  embeddings: [
    'KestraKVStore',
    'Qdrant',
    'PGVector',
    'Elasticsearch',
    'Chroma',
    'Pinecone',
    'Weaviate',
    'MongoDBAtlas',
    'Milvus',
    'Redis',
    'MariaDB',
    'Tablestore',
  ],
  provider: [
    'OpenAI',
    'AzureOpenAI',
    'Anthropic',
    'GoogleGemini',
    'GoogleVertexAI',
    'MistralAI',
    'Ollama',
    'AmazonBedrock',
    'DeepSeek',
    'HuggingFace',
    'LocalAI',
    'OciGenAI',
    'OpenRouter',
    'DashScope',
    'WatsonxAI',
    'WorkersAI',
    'ZhiPuAI',
    'GitHubModels',
    'DockerModel',
    'Onnx',
  ],
  memory: ['KestraKVStore', 'Redis', 'PostgreSQL'],
  retriever: ['EmbeddingStoreRetriever', 'TavilyWebSearch', 'GoogleCustomWebSearch', 'SqlDatabaseRetriever'],
  tool: [
    'TavilyWebSearch',
    'GoogleCustomWebSearch',
    'CodeExecution',
    'KestraFlow',
    'KestraTask',
    'AIAgent',
    'A2AClient',
    'Skill',
    'StdioMcpClient',
    'SseMcpClient',
    'StreamableHttpMcpClient',
    'DockerMcpClient',
    'HttpMcpClient',
  ],
  domain: ['LangfuseObservability'],
};

const CORE_CLASSES: Record<string, string[]> = {
  log: ['Log', 'Fetch', 'PurgeLogs'],
  debug: ['Return', 'Echo'],
  output: ['OutputValues'],
  http: ['Request', 'Download', 'Trigger', 'SseRequest'],
  kv: ['Set', 'Get', 'GetKeys', 'Delete', 'PurgeKV'],
  flow: [
    'Sequential',
    'Parallel',
    'ForEach',
    'ForEachItem',
    'If',
    'Switch',
    'Subflow',
    'Pause',
    'Sleep',
    'WaitFor',
    'AllowFailure',
    'Dag',
    'WorkingDirectory',
    'Loop',
    'EachSequential',
    'EachParallel',
    'Template',
    'Flow',
  ],
  execution: [
    'Fail',
    'Labels',
    'Exit',
    'Assert',
    'PurgeExecutions',
    'Count',
    'Resume',
    'SetVariables',
    'UnsetVariables',
  ],
  namespace: ['UploadFiles', 'DownloadFiles', 'DeleteFiles'],
  storage: [
    'Concat',
    'DeduplicateItems',
    'FilterItems',
    'Split',
    'Size',
    'Reverse',
    'Delete',
    'LocalFiles',
    'PurgeCurrentExecutionFiles',
    'Write',
  ],
  templating: ['TemplatedTask'],
  runner: ['Process'],
  state: ['Get', 'Set', 'Delete'],
  trigger: ['Schedule', 'ScheduleOnDates', 'Flow', 'Webhook', 'Toggle'],
  condition: [
    'DateTimeBetween',
    'DayWeek',
    'DayWeekInMonth',
    'ExecutionFlow',
    'ExecutionLabels',
    'ExecutionNamespace',
    'ExecutionOutputs',
    'ExecutionStatus',
    'Expression',
    'FlowCondition',
    'FlowNamespaceCondition',
    'HasRetryAttempt',
    'MultipleCondition',
    'Not',
    'Or',
    'PublicHoliday',
    'TimeBetween',
    'Weekend',
  ],
};

function expand(prefix: string, classes: Record<string, string[]>): string[] {
  return Object.entries(classes).flatMap(([pkg, names]) => names.map((name) => `${prefix}.${pkg}.${name}`));
}

/** Every individually known type of the reference (current names, legacy names, aliases). */
export const KESTRA_TYPES: ReadonlySet<string> = new Set([
  ...expand('io.kestra.plugin.ai', AI_CLASSES),
  ...expand('io.kestra.plugin.langchain4j', AI_CLASSES),
  'io.kestra.plugin.langchain4j.ChatCompletion',
  'io.kestra.plugin.langchain4j.Classification',
  'io.kestra.plugin.langchain4j.ImageGeneration',
  'io.kestra.plugin.langchain4j.JSONStructuredExtraction',
  ...expand('io.kestra.plugin.core', CORE_CLASSES),
  ...TYPE_ALIASES.keys(),
  ...TYPE_ALIASES.values(),
]);

/** Packages owned by the core and AI plugins: only the types listed above exist in them. */
const LISTED_PACKAGES = ['io.kestra.plugin.core.', 'io.kestra.plugin.ai.', 'io.kestra.plugin.langchain4j.'];

/** True when `type` is a type of the reference (even one Windhover does not implement). */
export function isKnownKestraType(type: string): boolean {
  if (KESTRA_TYPES.has(type)) return true;
  if (LISTED_PACKAGES.some((prefix) => type.startsWith(prefix))) return false;
  // Any other plugin package: scripts, gcp, aws, jdbc, notifications, slack, googleworkspace...
  return /^io\.kestra\.plugin\.[a-z0-9]+\.([A-Za-z0-9_]+\.)*[A-Z][A-Za-z0-9_]*$/.test(type);
}
