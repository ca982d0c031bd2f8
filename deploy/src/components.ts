import { engineComponent } from './components/engine-component';
import { type ComponentDefinition } from './launcher/component';

/**
 * The parts `npm start` runs, in start order. Each later part of the system
 * (engine, portal API, workers, web apps, identity, mail) adds its definition
 * here; PostgreSQL is started by the launcher itself when one of them needs it.
 */
export const SYSTEM_COMPONENTS: readonly ComponentDefinition[] = [engineComponent];
