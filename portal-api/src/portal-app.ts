import 'reflect-metadata';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { claimLogScope, withClaimLogKeys } from '@claims/deploy';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PortalModule, type PortalParts } from './app.module';
import { TokenVerifier } from './auth/token-verifier';
import { dataSourceOptions, migrate } from './database/data-source';
import { portalMetrics } from './http/metrics';
import { seedDemoData } from './demo/demo-data';
import { LocalDiskStorage } from './documents/document-storage';
import { EngineClient } from './engine/engine-client';
import { publishRepositoryForms } from './forms/published-forms';
import { Problem, ProblemFilter, validationErrorsToParams } from './http/problem';
import { type PortalSettings } from './settings';
import { webApps } from './web/web-apps';

export interface PortalApp {
  readonly app: INestApplication;
  readonly dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * Builds the portal API: database migrated (and demo data on first start),
 * then the Nest application under `/api`, with problem+json errors, request
 * validation and the OpenAPI document at `/api/docs`. Not yet listening.
 */
export async function createPortalApp(settings: PortalSettings, logger: Logger, overrides: Partial<PortalParts> = {}): Promise<PortalApp> {
  const dataSource = overrides.dataSource ?? new DataSource(dataSourceOptions(settings.databaseUrl));
  if (!dataSource.isInitialized) await dataSource.initialize();
  try {
    const applied = await migrate(dataSource);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    await publishRepositoryForms(dataSource, settings.formsDir, logger);
    if (settings.demoData) await seedDemoData(dataSource, logger);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  const parts: PortalParts = {
    settings,
    logger,
    dataSource,
    engine: overrides.engine ?? new EngineClient(settings.engineRestAddress),
    storage: overrides.storage ?? new LocalDiskStorage(settings.documentsDir),
    verifier: overrides.verifier ?? new TokenVerifier(settings.oidcIssuer, settings.oidcAudience),
  };
  const app = await NestFactory.create<NestExpressApplication>(PortalModule.with(parts), { logger: false, bodyParser: false, abortOnError: false });
  app.setGlobalPrefix('api');
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.useBodyParser('json', { limit: '1mb', type: ['application/json', 'application/*+json'] });
  app.useGlobalFilters(new ProblemFilter(logger));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      stopAtFirstError: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => {
        const params = validationErrorsToParams(errors);
        return Problem.badRequest(`The request is not valid: ${params.map((p) => `${p.name} ${p.reason}`).join('; ')}.`, params);
      },
    }),
  );
  app.use(requestLog(logger));
  const metrics = portalMetrics(dataSource);
  app.use(metrics.timing);
  app.use(metrics.endpoint);
  for (const handler of webApps(settings.webAppsRoot)) app.use(handler);
  const openApi = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Claims portal API')
      .setDescription('Domain, identity and access, documents, staff tasks and audit of the claims automation platform. Errors are application/problem+json (RFC 9457) with the fields at fault in `errors`.')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, openApi, { jsonDocumentUrl: 'api/docs/openapi.json' });
  await app.init();
  return {
    app,
    dataSource,
    async close() {
      await app.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

const CLAIM_IN_PATH = /\/claims\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?]|$)/i;
const INSTANCE_KEY = /^[0-9]{1,20}$/;

/**
 * The request's claim scope, and one structured log line per request after it
 * is answered. The claim comes from the path; its process instance from the
 * header a worker sends for the job it runs, or later from the route that
 * reads the claim (bindClaimLogKeys): every line logged while answering
 * carries both, so one claim is followed across portal and worker logs.
 */
function requestLog(logger: Logger) {
  return (req: import('express').Request, res: import('express').Response, next: () => void) => {
    const started = process.hrtime.bigint();
    const header = req.get('x-process-instance-key');
    withClaimLogKeys({ claimId: CLAIM_IN_PATH.exec(req.originalUrl)?.[1], processInstanceKey: header && INSTANCE_KEY.test(header) ? header : undefined }, () => {
      // The scope itself, read at the end with what the route learnt meanwhile (the finish event may fire outside the scope).
      const keys = claimLogScope();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const level = res.statusCode >= 500 ? 'error' : 'debug';
        const named = (req.body as { processInstanceKey?: unknown } | undefined)?.processInstanceKey;
        logger[level]({ method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 10) / 10, ...keys, ...(typeof named === 'string' && INSTANCE_KEY.test(named) ? { processInstanceKey: named } : {}) }, 'request');
      });
      next();
    });
  };
}
