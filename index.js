// n8n finds the node and credentials through the `n8n` field of package.json,
// not through a main module; this file is intentionally empty.
