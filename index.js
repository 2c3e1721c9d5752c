// n8n loads this package through the `n8n` field of package.json; this entry
// point exists for tools that require a main module.
module.exports = {};
