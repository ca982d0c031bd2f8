import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';
import { invalidArgument } from '../../processing/rejection';
import { type DeploymentResource } from '../../processing/commands/deploy';

/** Limits on what a deployment may carry, so a hostile upload cannot exhaust memory. */
export const DEPLOYMENT_LIMITS = { fileSize: 4 * 1024 * 1024, files: 100, fields: 10 };

export function deploymentRoutes(app: FastifyInstance, engine: Engine): void {
  app.post('/v2/deployments', async (request) => {
    if (!request.isMultipart()) throw invalidArgument('Expected a multipart/form-data body with one or more "resources" files.');
    const resources: DeploymentResource[] = [];
    let tenantId = '<default>';
    for await (const part of request.parts({ limits: DEPLOYMENT_LIMITS })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'resources') throw invalidArgument(`Expected files in the field "resources", but found the field "${part.fieldname}".`);
        const content = await part.toBuffer();
        resources.push({ name: part.filename || `resource-${resources.length + 1}.bpmn`, content });
      } else if (part.fieldname === 'tenantId' && typeof part.value === 'string' && part.value !== '') {
        tenantId = part.value;
      }
    }
    if (tenantId !== '<default>') throw invalidArgument(`Expected the tenant '<default>' (this engine has no other tenants), but found '${tenantId}'.`);
    const result = await engine.deploy(resources, tenantId);
    return {
      deploymentKey: String(result.deploymentKey),
      tenantId: result.tenantId,
      // Camunda wraps each deployed item in a property naming its kind.
      deployments: [
        ...result.processes.map((p) => ({
          processDefinition: {
            processDefinitionId: p.bpmnProcessId,
            processDefinitionVersion: p.version,
            resourceName: p.resourceName,
            tenantId: p.tenantId,
            processDefinitionKey: String(p.key),
          },
        })),
        ...result.decisionGraphs.flatMap((g) =>
          g.decisions.map((d) => ({
            decisionDefinition: {
              decisionDefinitionId: d.decisionId,
              version: d.version,
              name: d.name,
              tenantId: g.tenantId,
              decisionRequirementsId: g.decisionRequirementsId,
              decisionDefinitionKey: String(d.key),
              decisionRequirementsKey: String(g.key),
            },
          })),
        ),
        ...result.decisionGraphs.map((g) => ({
          decisionRequirements: {
            decisionRequirementsId: g.decisionRequirementsId,
            version: g.version,
            decisionRequirementsName: g.name,
            tenantId: g.tenantId,
            resourceName: g.resourceName,
            decisionRequirementsKey: String(g.key),
          },
        })),
        ...result.forms.map((f) => ({
          form: { formId: f.formId, version: f.version, resourceName: f.resourceName, tenantId: f.tenantId, formKey: String(f.key) },
        })),
      ],
    };
  });
}
