import type { TaskDefinition } from '../../plugin/define-plugin.ts';
import { assertTask } from './assert-task.ts';
import { echoTask } from './echo-task.ts';
import { failTask } from './fail-task.ts';
import { httpDownloadTask } from './http-download-task.ts';
import { httpRequestTask } from './http-request-task.ts';
import { kvDeleteTask } from './kv-delete-task.ts';
import { kvGetKeysTask } from './kv-get-keys-task.ts';
import { kvGetTask } from './kv-get-task.ts';
import { kvSetTask } from './kv-set-task.ts';
import { logTask } from './log-task.ts';
import { outputValuesTask } from './output-values-task.ts';
import { returnTask } from './return-task.ts';
import { storageConcatTask } from './storage-concat-task.ts';
import { storageSizeTask } from './storage-size-task.ts';

export {
  assertTask,
  echoTask,
  failTask,
  httpDownloadTask,
  httpRequestTask,
  kvDeleteTask,
  kvGetKeysTask,
  kvGetTask,
  kvSetTask,
  logTask,
  outputValuesTask,
  returnTask,
  storageConcatTask,
  storageSizeTask,
};

/** The core runnable tasks (log, debug, output, http, kv, execution), for the plugin registry. */
export const coreTaskPlugins: TaskDefinition[] = [
  logTask,
  returnTask,
  outputValuesTask,
  httpRequestTask,
  httpDownloadTask,
  kvSetTask,
  kvGetTask,
  kvGetKeysTask,
  kvDeleteTask,
  failTask,
  assertTask,
  echoTask,
  storageSizeTask,
  storageConcatTask,
];
