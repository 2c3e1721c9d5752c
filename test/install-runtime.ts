// jest's globalSetup for the suites that run a real n8n: installs it (on first
// use, minutes) before any test starts, outside the tests' timeouts, waiting
// for an install another process has under way.
import { installRuntime } from '../dev/runtime';

export default () => {
	installRuntime();
};
