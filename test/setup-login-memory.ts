import { loginMemory } from '../credentials/shared/login-memory';

// Each test starts as a freshly started n8n process would: knowing no token and no refusal.
beforeEach(() => loginMemory.clear());
