/** A small flow with typed inputs, one Log task and a flow output. */
export const HELLO_FLOW = `id: hello
namespace: company.team
description: Says hello
inputs:
  - id: name
    type: STRING
  - id: count
    type: INT
    defaults: 1
tasks:
  - id: greet
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.name }}"
outputs:
  - id: greeting
    type: STRING
    value: "Hello {{ inputs.name }}"
`;

/** An offline RAG flow: ingests two inline documents with the local model, then answers `question` with sources. */
export const OFFLINE_RAG_FLOW = `id: handbook_qa
namespace: company.ai
description: Answers questions about the handbook, offline
inputs:
  - id: question
    type: STRING
tasks:
  - id: ingest
    type: io.kestra.plugin.ai.rag.IngestDocument
    provider:
      type: io.windhover.plugin.ai.provider.Local
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    fromDocuments:
      - content: Employees get twenty-five days of paid vacation per year.
        metadata:
          title: Vacation policy
      - content: The office is closed on public holidays and opens at eight in the morning.
        metadata:
          title: Office hours
  - id: chat
    type: io.kestra.plugin.ai.rag.ChatCompletion
    chatProvider:
      type: io.windhover.plugin.ai.provider.Local
    embeddingProvider:
      type: io.windhover.plugin.ai.provider.Local
    embeddings:
      type: io.kestra.plugin.ai.embeddings.KestraKVStore
    prompt: "{{ inputs.question }}"
triggers:
  - id: api
    type: io.kestra.plugin.core.trigger.Webhook
    key: handbook-key
    returnOutputs: true
outputs:
  - id: answer
    type: STRING
    value: "{{ outputs.chat.textOutput }}"
`;
