/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
// n8n's logger writes straight to the console; tests read errors from the run instead.
process.env.N8N_LOG_LEVEL ??= 'silent';
// n8n-core reports to no one from tests.
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
