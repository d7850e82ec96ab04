import type { TokenUsage } from './embedding-model.ts';

export type ChatMessageType = 'SYSTEM' | 'USER' | 'AI';

export interface ChatMessage {
  type: ChatMessageType;
  content: string;
}

/** The reference's ChatConfiguration knobs; providers reject the ones they cannot honour. */
export interface ChatConfiguration {
  temperature?: number;
  topK?: number;
  topP?: number;
  seed?: number;
  maxToken?: number;
  logRequests?: boolean;
  logResponses?: boolean;
  responseFormat?: {
    type: 'TEXT' | 'JSON';
    jsonSchema?: Record<string, unknown>;
    jsonSchemaDescription?: string;
    strictJson?: boolean;
  };
}

export type FinishReason = 'STOP' | 'LENGTH' | 'TOOL_EXECUTION' | 'CONTENT_FILTER' | 'OTHER';

/** A chat model, version 1 of the spec: one `doGenerate` call per completion. */
export interface ChatModelV1 {
  readonly specificationVersion: 'v1';
  readonly provider: string;
  readonly modelId: string;
  /** Context size in tokens when known; retrieval trims sources to fit. */
  readonly contextWindowTokens?: number;
  doGenerate(options: {
    messages: ChatMessage[];
    configuration: ChatConfiguration;
    abortSignal: AbortSignal;
    /**
     * The retrieved sources already injected into the messages, given again as data for
     * models that work on them directly (the extractive local model).
     */
    sources?: { content: string; metadata: Record<string, unknown>; score?: number }[];
  }): Promise<{
    text: string;
    finishReason: FinishReason;
    usage?: TokenUsage;
    warnings?: string[];
  }>;
}
