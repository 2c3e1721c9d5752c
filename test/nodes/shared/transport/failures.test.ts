import { describeResponse, describeThrown } from '../../../../nodes/shared/transport/failures';

/** n8n-workflow 2.34 and later: n8n's error keeps the HTTP client's as `cause`. */
function wrapped(cause: object) {
	return Object.assign(new Error('n8n wrapper'), { cause });
}

/** Older n8n-workflow: the cause is dropped; the code survives as `httpCode`, the client's message in `messages`. */
function wrappedWithoutCause(fields: {
	httpCode?: string | null;
	messages?: string[];
	message?: string;
}) {
	return Object.assign(
		new Error(fields.message ?? 'The service refused the connection - perhaps it is offline'),
		{
			httpCode: null,
			messages: [],
			...fields,
		},
	);
}

describe('describeResponse', () => {
	it('reads the status, body and Retry-After of an HTTP answer with an error status', () => {
		const failure = describeResponse({
			statusCode: 429,
			headers: { 'retry-after': '2' },
			body: { response_code: 429 },
		});

		expect(failure).toMatchObject({
			status: 429,
			retryAfterMs: 2000,
			body: { response_code: 429 },
		});
	});

	it('leaves Retry-After out when the answer has none', () => {
		expect(describeResponse({ statusCode: 503, body: '' })).toMatchObject({
			status: 503,
			retryAfterMs: undefined,
		});
	});
});

describe('describeThrown', () => {
	it('reads the code of a network failure, however deep it is wrapped', () => {
		expect(
			describeThrown(wrapped(wrapped({ code: 'ECONNRESET', message: 'socket hang up' }))),
		).toMatchObject({
			networkCode: 'ECONNRESET',
		});
	});

	it('reads the code from an error whose cause older n8n versions dropped', () => {
		expect(describeThrown(wrappedWithoutCause({ httpCode: 'ECONNREFUSED' }))).toMatchObject({
			networkCode: 'ECONNREFUSED',
		});
		expect(
			describeThrown(wrappedWithoutCause({ messages: ['connect ECONNREFUSED 127.0.0.1:9'] })),
		).toMatchObject({ networkCode: 'ECONNREFUSED' });
	});

	it('recognises a timeout by its message when no code is left', () => {
		expect(
			describeThrown(wrappedWithoutCause({ message: 'timeout of 1000ms exceeded' })),
		).toMatchObject({
			networkCode: 'ECONNABORTED',
		});
	});

	it('takes no capitalised word of a message for a network code', () => {
		expect(describeThrown(new Error('ERROR: EVERYTHING FAILED')).networkCode).toBeUndefined();
	});

	it('takes no HTTP status for a network code', () => {
		expect(describeThrown(wrappedWithoutCause({ httpCode: '503' })).networkCode).toBeUndefined();
	});

	it('falls back to the error message for anything else', () => {
		expect(describeThrown(new Error('something odd'))).toMatchObject({
			message: 'something odd',
			networkCode: undefined,
		});
		expect(describeThrown('a string')).toMatchObject({ message: 'a string' });
	});
});
