/**
 * What the editor tells a person before they run anything: notices, field
 * descriptions and placeholders, and what the credential dialog says about
 * where each value comes from. The real editor shows them in test/ui/.
 */
import type {
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { EnkashCoinsApi } from '../../../credentials/EnkashCoinsApi.credentials';
import { EnkashCoinsPasswordApi } from '../../../credentials/EnkashCoinsPasswordApi.credentials';
import { EnkashCoins } from '../../../nodes/EnkashCoins/EnkashCoins.node';
import { EnkashCoinsTrigger } from '../../../nodes/EnkashCoinsTrigger/EnkashCoinsTrigger.node';

const node = new EnkashCoins().description;
const trigger = new EnkashCoinsTrigger().description;

/** The notices n8n shows for the given parameter values. */
function shownNotices(description: INodeTypeDescription, values: INodeParameters) {
	return description.properties
		.filter(
			(property) =>
				property.type === 'notice' &&
				NodeHelpers.displayParameter(values, property, { typeVersion: 1 }, description),
		)
		.map(({ displayName }) => displayName);
}

const field = (properties: INodeProperties[], name: string) =>
	properties.find((property) => property.name === name && property.type !== 'notice')!;

describe('notices', () => {
	const ALLOCATE = { resource: 'allocation', operation: 'allocate' };

	it('Allocate says the event’s configured amount is credited, and only Allocate says so', () => {
		const allocateNotice = expect.stringMatching(
			/Amount configured for the event \(Event › Create or Update\).*carries no amount/,
		);

		expect(shownNotices(node, { authentication: 'password', ...ALLOCATE })).toEqual([
			allocateNotice,
		]);
		for (const [resource, operation] of [
			['event', 'create'],
			['event', 'get'],
			['event', 'update'],
			['balance', 'get'],
		]) {
			expect(shownNotices(node, { authentication: 'password', resource, operation })).toEqual([]);
		}
	});

	it.each([
		['Enkash Coins', node],
		['Enkash Coins Trigger', trigger],
	])(
		'%s: with Access Token, the default, says tokens expire after 5 minutes and what needs the Password credential',
		(_name, description) => {
			expect(field(description.properties, 'authentication').default).toBe('accessToken');
			const accessTokenNotice = shownNotices(description, {
				authentication: 'accessToken',
				resource: 'balance',
				operation: 'get',
			});

			expect(accessTokenNotice).toEqual([
				expect.stringMatching(
					/expire after 5 minutes.*schedules, webhooks and the Enkash Coins Trigger.*Password/,
				),
			]);
			expect(
				shownNotices(description, {
					authentication: 'password',
					resource: 'balance',
					operation: 'get',
				}),
			).toEqual([]);
		},
	);
});

describe('fields', () => {
	it('Request ID teaches a stable ID per allocation in a hint under the field, and says what Enkash documents of repeats', () => {
		const requestId = field(node.properties, 'requestId');

		expect(requestId.placeholder).toBe('e.g. DIWALI-2026-{{ $json.userId }}');
		expect(requestId.hint).toMatch(
			/^The same for this allocation every time the workflow runs, never random/,
		);
		expect(requestId.description).toMatch(/^Enkash declares the Request ID unique/);
		expect(requestId.description).toMatch(
			/docs do not say what it answers to a Request ID it has seen/,
		);
		expect(requestId.description).toMatch(/DIWALI-2026- followed by the user ID/);
		expect(requestId.description).toMatch(/Never use a random value/);
	});

	it('Configuration’s options say what Enkash documents of them, not “the standard configuration”', () => {
		const options = field(node.properties, 'configuration').options as INodePropertyOptions[];

		expect(options.map(({ value }) => value)).toEqual(['CUSTOM', 'DEFAULT']);
		expect(options.find(({ value }) => value === 'DEFAULT')?.description).toMatch(
			/every Enkash example sends/,
		);
		expect(options.find(({ value }) => value === 'CUSTOM')?.description).toMatch(
			/docs do not say how it differs/,
		);
	});

	it('the trigger’s User IDs state the requests each poll sends', () => {
		expect(field(trigger.properties, 'userIds').description).toMatch(
			/Every poll sends one balance request per watched user/,
		);
	});

	it('the trigger offers Skip Unreadable Users, off, saying why and where skipped users go', () => {
		const options = field(trigger.properties, 'options').options as INodeProperties[];
		const skip = options.find(({ name }) => name === 'skipUnreadableUsers');

		expect(skip).toMatchObject({
			displayName: 'Skip Unreadable Users',
			type: 'boolean',
			default: false,
		});
		expect(skip?.description).toMatch(/named in n8n’s log, keeps their last reading/);
		expect(skip?.description).toMatch(/mistyped ID is noticed at once/);
	});

	it('the action node offers Include Input Fields, off, saying which field wins a clash', () => {
		const options = field(node.properties, 'options').options as INodeProperties[];
		const include = options.find(({ name }) => name === 'includeInputFields');

		expect(include).toMatchObject({
			displayName: 'Include Input Fields',
			type: 'boolean',
			default: false,
		});
		expect(include?.description).toMatch(/the result’s field wins/);
		expect(include?.description).toMatch(/error item carries the input’s fields/);
	});
});

describe('credential fields say where each value comes from', () => {
	const tokenFields = new EnkashCoinsApi().properties;
	const passwordFields = new EnkashCoinsPasswordApi().properties;

	it('Base URL names the UAT host, and the production host to confirm with Enkash', () => {
		for (const fields of [tokenFields, passwordFields]) {
			const { description } = field(fields, 'baseUrl');
			expect(description).toContain('https://pay-uat.enkash.in');
			expect(description).toMatch(
				/https:\/\/pay\.enkash\.in is the host Enkash uses for its other live products; confirm it with Enkash/,
			);
		}
	});

	it.each(['clientId', 'clientSecret', 'username', 'password'])('%s has a description', (name) => {
		expect(field(passwordFields, name).description).toMatch(/Enkash/);
	});

	it('the access token says it expires after 5 minutes', () => {
		expect(field(tokenFields, 'accessToken').description).toMatch(/expires after 5 minutes/);
	});
});
