import { type FastifyInstance } from 'fastify';
import { ENGINE_VERSION } from '../../version';

/** One broker, one partition: what a single-node engine is. */
export function clusterRoutes(app: FastifyInstance, address: () => { host: string; port: number }): void {
  app.get('/v2/topology', () => {
    const { host, port } = address();
    return {
      brokers: [{ nodeId: 0, host, port, partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }], version: ENGINE_VERSION }],
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: ENGINE_VERSION,
      lastCompletedChangeId: '-1',
    };
  });
}
