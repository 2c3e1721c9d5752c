import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

const SECRET_FIELDS = ['accessToken', 'sessionToken', 'password', 'clientSecret'] as const;
const MIN_SECRET_LENGTH = 4;

/**
 * Every form in which a credential's secrets could surface in an API answer:
 * the values themselves and the Basic header the token request is sent with.
 */
export function secretsOf(credentials: ICredentialDataDecryptedObject | undefined): string[] {
	if (!credentials) return [];
	const secrets = SECRET_FIELDS.map((field) => credentials[field]).filter(
		(value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH,
	);
	if (typeof credentials.clientId === 'string' && typeof credentials.clientSecret === 'string') {
		secrets.push(
			Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64'),
		);
	}
	for (const secret of [...secrets]) secrets.push(Buffer.from(secret).toString('base64'));
	return secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH);
}

/** Replaces each secret in a text with a placeholder; APIs sometimes echo a rejected token. */
export function redact(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) {
		if (result.includes(secret)) result = result.split(secret).join('[redacted]');
	}
	return result;
}
