import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';
import { notFound } from '../../processing/rejection';
import { type SearchBody } from '../../queries/search';
import { xmlRoute } from './xml-route';
import { keyParams, searchBodySchema, toKey, variablesSchema } from '../schemas';

/** Incidents, element instances, variables and process definitions: searches, look-ups and the two commands among them. */
export function readRoutes(app: FastifyInstance, engine: Engine): void {
  const search = { schema: { body: searchBodySchema } };

  app.post<{ Body: SearchBody }>('/v2/incidents/search', search, (request) => engine.queries.searchIncidents(request.body));
  app.get<{ Params: { incidentKey: string } }>('/v2/incidents/:incidentKey', { schema: { params: keyParams('incidentKey') } }, (request) =>
    engine.queries.getIncident(request.params.incidentKey),
  );
  app.post<{ Params: { incidentKey: string } }>('/v2/incidents/:incidentKey/resolution', { schema: { params: keyParams('incidentKey') } }, async (request, reply) => {
    await engine.resolveIncident(toKey(request.params.incidentKey, 'an incident'));
    return reply.code(204).send();
  });

  app.post<{ Body: SearchBody }>('/v2/element-instances/search', search, (request) => engine.queries.searchElementInstances(request.body));
  app.get<{ Params: { elementInstanceKey: string } }>('/v2/element-instances/:elementInstanceKey', { schema: { params: keyParams('elementInstanceKey') } }, (request) =>
    engine.queries.getElementInstance(request.params.elementInstanceKey),
  );
  app.put<{ Params: { elementInstanceKey: string }; Body: { variables: Record<string, unknown>; local?: boolean } }>(
    '/v2/element-instances/:elementInstanceKey/variables',
    {
      schema: {
        params: keyParams('elementInstanceKey'),
        body: { type: 'object', required: ['variables'], properties: { variables: variablesSchema, local: { type: 'boolean' }, operationReference: { type: 'integer' } } },
      },
    },
    async (request, reply) => {
      await engine.setVariables(toKey(request.params.elementInstanceKey, 'an element instance'), request.body.variables, request.body.local ?? false);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: SearchBody; Querystring: { truncateValues?: string } }>(
    '/v2/variables/search',
    { schema: { body: searchBodySchema, querystring: { type: 'object', properties: { truncateValues: { type: 'string', enum: ['true', 'false'] } } } } },
    (request) => engine.queries.searchVariables(request.body, request.query.truncateValues !== 'false'),
  );
  app.get<{ Params: { variableKey: string } }>('/v2/variables/:variableKey', { schema: { params: keyParams('variableKey') } }, (request) =>
    engine.queries.getVariable(request.params.variableKey),
  );

  // Whether a definition has a start form is read from its model in memory.
  // The none start event's form, else the first message start event's.
  const startFormIdOf = (key: number): string | undefined => {
    const definition = engine.state.definitions.get(key);
    if (!definition) return undefined;
    const { process } = definition.executable;
    for (const id of [process.startEventId, ...process.triggeredStartEventIds]) {
      const start = definition.executable.elements.get(id);
      if (start?.type === 'START_EVENT' && start.formId) return start.formId;
    }
    return undefined;
  };
  const withStartForm = (item: Record<string, unknown>) => ({ ...item, hasStartForm: startFormIdOf(Number(item.processDefinitionKey)) !== undefined });
  app.post<{ Body: SearchBody }>('/v2/process-definitions/search', search, async (request) => {
    const page = await engine.queries.searchProcessDefinitions(request.body);
    return { ...page, items: page.items.map(withStartForm) };
  });
  app.get<{ Params: { processDefinitionKey: string } }>('/v2/process-definitions/:processDefinitionKey', { schema: { params: keyParams('processDefinitionKey') } }, async (request) =>
    withStartForm(await engine.queries.getProcessDefinition(request.params.processDefinitionKey)),
  );
  xmlRoute(app, '/v2/process-definitions', 'processDefinitionKey', (key) => engine.queries.getProcessDefinitionXml(key));
  // The start form: the latest version of the form the start event links, or 204 when it links none.
  app.get<{ Params: { processDefinitionKey: string } }>('/v2/process-definitions/:processDefinitionKey/form', { schema: { params: keyParams('processDefinitionKey') } }, async (request, reply) => {
    const key = toKey(request.params.processDefinitionKey, 'a process definition');
    const definition = engine.state.definitions.get(key);
    if (!definition) throw notFound(`Process definition with key '${request.params.processDefinitionKey}' not found`);
    const formId = startFormIdOf(key);
    const form = formId ? await engine.queries.latestForm(formId) : undefined;
    if (formId && !form) throw notFound(`Expected to find the start form '${formId}' of process definition '${definition.bpmnProcessId}', but no such form is deployed`);
    return form ?? reply.code(204).send();
  });
}
