// `npm run engine`: the embedded engine alone, with its own embedded PostgreSQL
// under DATA_DIR unless DATABASE_URL or ENGINE_DATABASE_URL says otherwise.
import { engineComponent } from '../components/engine-component';
import { runLauncher } from '../launcher/run-launcher';

runLauncher('The embedded engine is running', [engineComponent]);
