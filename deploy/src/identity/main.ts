// The embedded identity issuer alone in a process (tests and benchmarks start
// it so; `npm start` runs it beside the outbox, see helpers/main.ts).
import { runComponent } from '../launcher/component-process';
import { startIdentityService } from './identity-service';

runComponent('identity', (logger) => startIdentityService(process.env, logger));
