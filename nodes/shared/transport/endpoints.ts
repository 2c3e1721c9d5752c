/** The vendor's paths, below the credential's base URL. */
export const endpoints = {
	createEvent: '/api/v0/enkash-coins/create-coins-config',
	event: (coinConfigId: string) => `/api/v0/enkash-coins/${encodeURIComponent(coinConfigId)}`,
	allocate: '/api/v0/enkash-coins/allocate-coin',
	// Not under /enkash-coins/, unlike the others.
	balance: '/api/v0/coins/balance',
};
