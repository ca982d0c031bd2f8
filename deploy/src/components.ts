import { engineComponent } from './components/engine-component';
import { helpersComponent } from './components/helpers-component';
import { portalComponent } from './components/portal-component';
import { workersComponent } from './components/workers-component';
import { type ComponentDefinition } from './launcher/component';

/**
 * The parts `npm start` runs, in start order (each may call the ones before
 * it); they stop in reverse. PostgreSQL is started by the launcher itself
 * when one of them needs a database.
 */
export const SYSTEM_COMPONENTS: readonly ComponentDefinition[] = [helpersComponent, engineComponent, portalComponent, workersComponent];
