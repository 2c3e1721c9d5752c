import { loginMemory } from '../credentials/common/login-memory';

// Each test starts as a freshly started n8n process would: knowing no token and no refusal.
beforeEach(() => loginMemory.clear());
