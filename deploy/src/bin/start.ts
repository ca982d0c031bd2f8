// `npm start`: the whole system on embedded defaults.
import { SYSTEM_COMPONENTS } from '../components';
import { runLauncher } from '../launcher/run-launcher';

runLauncher('Claims automation is running on embedded defaults', SYSTEM_COMPONENTS);
