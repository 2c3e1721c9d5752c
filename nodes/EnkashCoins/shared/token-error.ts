/**
 * The token request itself was refused. Enkash locks an account after three
 * refused token requests in a row, so this error is never retried and stops
 * the whole run instead of being repeated for every item.
 */
export class EnkashTokenError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'EnkashTokenError';
	}
}
