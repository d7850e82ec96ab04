import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiDocs } from './api-docs.ts';
import { basicAuth } from './basic-auth.ts';
import { errorResponse } from './http-error.ts';
import { registerExecutionRoutes } from './routes/execution-routes.ts';
import { registerFlowRoutes } from './routes/flow-routes.ts';
import { registerKvRoutes } from './routes/kv-routes.ts';
import { registerLogRoutes } from './routes/log-routes.ts';
import { registerSchemaRoutes } from './routes/schema-routes.ts';
import { registerTriggerRoutes } from './routes/trigger-routes.ts';
import { registerWebhookRoutes } from './routes/webhook-routes.ts';
import type { ServerDeps } from './server-deps.ts';
import { registerStaticUi } from './static-ui.ts';

export type { BasicAuthUser, ServerDeps, TriggerScheduler } from './server-deps.ts';

/** Requests bigger than this are refused with 413 before they are read. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The whole HTTP surface: the Kestra-compatible API under /api/v1/main, the OpenAPI document, and the UI. */
export function createApp(deps: ServerDeps): Hono {
  const app = new Hono();
  const docs = new ApiDocs();
  app.onError((error, c) => errorResponse(error, c));
  app.notFound((c) => c.json({ status: 404, message: `no endpoint ${c.req.method} ${c.req.path}` }, 404));
  if (deps.auth && deps.auth.length > 0) app.use('*', basicAuth(deps.auth));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.json({ status: 413, message: `the request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB` }, 413),
    }),
  );

  // Webhooks first: their path would otherwise match POST /executions/{namespace}/{flowId}.
  registerWebhookRoutes(app, deps, docs);
  registerFlowRoutes(app, deps, docs);
  registerExecutionRoutes(app, deps, docs);
  registerLogRoutes(app, deps, docs);
  registerKvRoutes(app, deps, docs);
  registerSchemaRoutes(app, deps, docs);
  registerTriggerRoutes(app, deps, docs);

  const openApi = () => docs.openApi();
  app.get('/api/openapi.json', (c) => c.json(openApi()));
  app.get('/api', (c) => c.json(openApi()));
  registerStaticUi(app, deps.uiDir);
  return app;
}
