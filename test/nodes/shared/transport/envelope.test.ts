import { checkEnvelope } from '../../../../nodes/shared/transport/envelope';

describe('checkEnvelope', () => {
	it('accepts response_code 0 and keeps every field, including unknown ones', () => {
		const body = { response_code: 0, response_message: 'Success', payload: 5, trace_id: 'abc' };
		expect(checkEnvelope(body)).toEqual({ ok: true, envelope: body });
	});

	it('parses a JSON text body', () => {
		const check = checkEnvelope('{"response_code":0,"response_message":"Success","payload":"ok"}');
		expect(check).toEqual({
			ok: true,
			envelope: { response_code: 0, response_message: 'Success', payload: 'ok' },
		});
	});

	it('accepts a response_code sent as digits', () => {
		expect(
			checkEnvelope({ response_code: '0', response_message: 'Success', payload: 1 }),
		).toMatchObject({
			ok: true,
			envelope: { response_code: 0 },
		});
	});

	it('treats response_code 1 under HTTP 200 as a failure carrying the API message', () => {
		expect(
			checkEnvelope({
				response_code: 1,
				response_message: 'Insufficient balance in card account',
				payload: 'Insufficient balance in card account',
			}),
		).toEqual({
			ok: false,
			problem: 'Enkash rejected the request: Insufficient balance in card account',
			advice: expect.stringMatching(/^Act on Enkash’s reason\./),
			apiMessage: 'Insufficient balance in card account',
		});
	});

	it('points a rejection at the likeliest cause: an event the company has not configured', () => {
		const check = checkEnvelope({
			response_code: 1,
			response_message: 'No coin configuration found for event REFERRAL_EVENT',
		});

		expect(!check.ok && check.advice).toBe(
			'Act on Enkash’s reason. "No coin configuration found" means the event does not exist for this Company ID: create it with Event › Create, or check Event Name and Company ID.',
		);
	});

	it('names the code when a failure has no message', () => {
		expect(checkEnvelope({ response_code: 7 })).toMatchObject({
			ok: false,
			problem: 'Enkash rejected the request: response_code 7',
		});
	});

	it.each([
		['an empty body', '', 'Enkash returned an empty response'],
		['no body', undefined, 'Enkash returned an empty response'],
		[
			'an HTML page',
			'<html><body>502 Bad Gateway</body></html>',
			'Enkash returned a response that is not JSON: "<html><body>502 Bad Gateway</body></html>"',
		],
		[
			'truncated JSON',
			'{"response_code":0,"respo',
			'Enkash returned a response that is not JSON: "{"response_code":0,"respo"',
		],
		['a JSON list', [1, 2], 'Enkash returned a response that is not JSON: "[1,2]"'],
		[
			'JSON without response_code',
			{ payload: 1 },
			'Enkash returned JSON without a valid response_code: "{"payload":1}"',
		],
		[
			'a non-numeric response_code',
			{ response_code: 'OK' },
			'Enkash returned JSON without a valid response_code: "{"response_code":"OK"}"',
		],
	])(
		'rejects %s with a message that says so, and sends the person to the Base URL',
		(_label, body, problem) => {
			expect(checkEnvelope(body)).toEqual({
				ok: false,
				problem,
				advice: expect.stringMatching(/^The Base URL leads to something other than Enkash’s API/),
			});
		},
	);

	it('shortens a long unexpected body in the message', () => {
		const check = checkEnvelope(`<html>${'x'.repeat(500)}</html>`);
		expect(check.ok).toBe(false);
		expect(!check.ok && check.problem.length).toBeLessThan(200);
	});
});
