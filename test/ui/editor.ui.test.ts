/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
/**
 * The editor as a person sees it, in a real browser: `npm start`'s n8n, with
 * the node on the canvas, its panel and its credential dialog.
 * Screenshots go to .e2e-runtime/screenshots/; the README's pictures are
 * written to docs/images/ on every run, so that they show what the editor shows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

import { startEditor } from '../../dev/playground';
import { freePort } from '../../dev/n8n';
import { paths } from '../../dev/runtime';
import { resources } from '../../nodes/EnkashCoins/resources';
import { everyOperation } from '../helpers/operations';

const SCREENSHOTS = path.join(paths.runtimesDir, 'screenshots');
const README_IMAGES = path.join(paths.repoRoot, 'docs/images');
const ICON_PATH = '/icons/n8n-nodes-enkash-coins/dist/nodes/icons/enkashCoins.svg';

let editor: Awaited<ReturnType<typeof startEditor>>;
let browser: Browser;
let page: Page;

async function screenshot(name: string) {
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

async function readmePicture(name: string) {
	await page.screenshot({ path: path.join(README_IMAGES, `${name}.png`) });
}

/**
 * Rests the pointer on a field's help icon, where n8n shows the field's
 * description, until the description shows `text`. The icon appears when the
 * pointer is on the label; a dialog that re-renders as it opens can take the
 * first hover away.
 */
async function expectDescription(label: Locator, text: RegExp) {
	const description = page.getByText(text).filter({ visible: true }).first();
	for (let attempt = 0; attempt < 3; attempt++) {
		await label.hover();
		await label.locator('[data-icon=circle-help]').hover();
		const shown = await description.waitFor({ timeout: 5000 }).then(
			() => true,
			() => false,
		);
		if (shown) return;
		await page.mouse.move(0, 0);
	}
	throw new Error(`n8n did not show the description ${text}`);
}

/** Widens the output panel of the open node by dragging the parameters panel to the left edge. */
async function dragParametersPanelLeft() {
	const handle = await page
		.locator('[data-test-id=ndv] [data-test-id=panel-drag-button]')
		.boundingBox();
	if (!handle) throw new Error('The node panel has no drag handle');
	const y = handle.y + handle.height / 2;
	await page.mouse.move(handle.x + handle.width / 2, y);
	await page.mouse.down();
	await page.mouse.move(100, y, { steps: 20 });
	await page.mouse.up();
}

const notices = () => page.locator('[data-test-id=ndv] [data-test-id=node-parameters] .notice');

beforeAll(async () => {
	editor = await startEditor({ editorPort: await freePort(), sandboxPort: 0 });
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		headless: true,
		// The machine has no internet: background networking would only fail.
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
	await page.goto(`${editor.n8n.baseUrl}/signin`);
	await page.fill('input[name=emailOrLdapLoginId]', editor.owner.email);
	await page.fill('input[name=password]', editor.owner.password);
	await page.click('[data-test-id=form-submit-button]');
	await page.waitForURL((url) => !url.pathname.includes('signin'));
}, 600_000);

afterAll(async () => {
	await browser?.close();
	await editor?.stop();
});

async function openNode(workflowId: string, nodeName: string) {
	await page.goto(`${editor.n8n.baseUrl}/workflow/${workflowId}`);
	await page.waitForSelector('[data-test-id=canvas-node]');
	await page.dblclick(`[data-test-id=canvas-node][data-node-name="${nodeName}"]`);
	await page.waitForSelector('[data-test-id=ndv] [data-test-id=parameter-input-resource]');
}

const openDropdownItems = () => page.locator('.el-select-dropdown__item:visible');

/**
 * Opens a selector and returns its option labels, leaving out the "Custom API
 * Call" entry n8n adds to every node with credentials; picks `choose` if given.
 */
async function selectOptions(parameter: string, choose?: string) {
	await page.click(`[data-test-id=ndv] [data-test-id=parameter-input-${parameter}]`);
	const options = openDropdownItems();
	await options.first().waitFor();
	const texts = (await options.evaluateAll((elements) =>
		elements.map(
			(element) => (element.querySelector('.option-headline') ?? element).textContent?.trim() ?? '',
		),
	)) as string[];
	if (choose) await options.filter({ hasText: choose }).first().click();
	else await page.keyboard.press('Escape');
	await page.waitForFunction(
		"!Array.from(document.querySelectorAll('.el-select-dropdown__item')).some((item) => item.offsetParent !== null)",
	);
	return texts.filter((text) => text !== 'Custom API Call');
}

async function visibleParameters() {
	return (
		page
			// parameter-input-field is the text box inside a string parameter's input.
			.locator(
				'[data-test-id=ndv] [data-test-id=node-parameters] [data-test-id^=parameter-input-]:not([data-test-id=parameter-input-field]):visible',
			)
			.evaluateAll((elements) =>
				elements.map((element) =>
					element.getAttribute('data-test-id')?.replace('parameter-input-', ''),
				),
			)
	);
}

describe('the workflow canvas', () => {
	it('shows the Enkash Coins nodes with the package’s icon and subtitles', async () => {
		await page.goto(`${editor.n8n.baseUrl}/workflow/EnkashConfigEvnt`);
		await page.waitForSelector(
			'[data-test-id=canvas-node][data-node-name="Create Invoice Event"] img',
		);
		const icon = page.locator(
			'[data-test-id=canvas-node][data-node-name="Create Invoice Event"] img',
		);

		expect(await icon.getAttribute('src')).toBe(ICON_PATH);
		const loaded = await icon.evaluate((image) => {
			const { complete, naturalWidth } = image as unknown as {
				complete: boolean;
				naturalWidth: number;
			};
			return complete && naturalWidth > 0;
		});
		expect(loaded).toBe(true);
		await expect(page.locator('text=create: event').first().isVisible()).resolves.toBe(true);
		await readmePicture('canvas');
	});

	it('shows the Enkash Coins Trigger’s event and threshold as its subtitle', async () => {
		await page.goto(`${editor.n8n.baseUrl}/workflow/EnkashLowBalTrig`);
		const subtitle = page.locator(
			'[data-test-id=canvas-node][data-node-name="Balance Fell Below 100"] [class*=subtitle]',
		);
		await subtitle.waitFor();

		await expect(subtitle.textContent()).resolves.toBe('Balance Fell Below 100');
	});
});

describe('the node panel', () => {
	beforeAll(async () => {
		await openNode('EnkashConfigEvnt', 'Create Invoice Event');
	});

	it('warns that Access Token, the default, expires after 5 minutes', async () => {
		await expect(notices().allTextContents()).resolves.toEqual([
			expect.stringMatching(
				/access tokens expire after 5 minutes\. For schedules, webhooks and the Enkash Coins Trigger, pick an Enkash Coins Password API credential in the Credential list/,
			),
		]);
	});

	it('lists the resources and the operations of each', async () => {
		expect(await selectOptions('resource')).toEqual(resources.map(({ name }) => name));
		// The panel opens on an Event node.
		expect(await selectOptions('operation')).toEqual(
			everyOperation
				.filter(({ resource }) => resource.value === 'event')
				.map(({ operation }) => operation.name),
		);
		await readmePicture('node-panel');
	});

	// A collection (Update Fields) shows as a button, not as a parameter input.
	it.each(
		everyOperation.map(({ resource, operation }) => [
			resource.name,
			operation.name,
			operation.fields.filter(({ type }) => type !== 'collection').map(({ name }) => name),
		]),
	)('shows the fields of %s › %s', async (resource, operation, fields) => {
		await selectOptions('resource', resource);
		const operations = await selectOptions('operation', operation);

		expect(operations).toContain(operation);
		expect(await visibleParameters()).toEqual(['resource', 'operation', ...fields]);
	});

	it('teaches Request ID’s rule in its placeholder, a hint under it and its description', async () => {
		await selectOptions('resource', 'Allocation');
		await selectOptions('operation', 'Allocate');

		await expect(
			page
				.locator('[data-test-id=ndv] [data-test-id=parameter-input-requestId] input')
				.getAttribute('placeholder'),
		).resolves.toBe('e.g. DIWALI-2026-{{ $json.userId }}');
		await page
			.locator('[data-test-id=ndv] [data-test-id=node-parameters]')
			.getByText(
				/The\s+same\s+for\s+this\s+allocation\s+every\s+time\s+the\s+workflow\s+runs,\s+never\s+random/,
			)
			.waitFor();
		await expectDescription(
			page.locator('[data-test-id=ndv] label[for=requestId]'),
			/Request ID unique.*Never use a random value/,
		);
	});

	it('offers "Update Fields" for Update', async () => {
		await selectOptions('resource', 'Event');
		await selectOptions('operation', 'Update');

		await expect(
			page.locator('[data-test-id=ndv] >> text=Update Fields').first().isVisible(),
		).resolves.toBe(true);
	});
});

describe('the Allocate panel', () => {
	// The README's picture of the panel: a node of the webhook example that really allocates.
	it('says that the event’s configured amount is credited', async () => {
		await openNode('EnkashReferralWh', 'Allocate Referral Coins');

		await expect(notices().allTextContents()).resolves.toEqual([
			expect.stringMatching(
				/credited with the Amount configured for the event \(Event › Create or Update\): an allocation carries no amount of its own/,
			),
		]);
		await readmePicture('allocate-panel');
	});
});

describe('the trigger panel', () => {
	beforeAll(async () => {
		await page.goto(`${editor.n8n.baseUrl}/workflow/EnkashLowBalTrig`);
		await page.waitForSelector('[data-test-id=canvas-node]');
		await page.dblclick('[data-test-id=canvas-node][data-node-name="Balance Fell Below 100"]');
		// n8n renders the Poll Times after the node's own fields; the panel is whole once both are there.
		for (const parameter of ['userIds', 'threshold', 'minute'])
			await page.waitForSelector(`[data-test-id=ndv] [data-test-id=parameter-input-${parameter}]`);
	});

	it('shows the Enkash Coins Trigger’s events, and the threshold only for a crossing', async () => {
		// mode and minute are n8n's Poll Times: every hour at minute 0 in the example.
		expect(await visibleParameters()).toEqual(['mode', 'minute', 'userIds', 'event', 'threshold']);
		expect(await selectOptions('event')).toEqual([
			'Balance Changed',
			'Balance Fell Below',
			'Balance Rose Above',
		]);
	});

	it('says how many requests each poll sends', async () => {
		await expectDescription(
			page.locator('[data-test-id=ndv] label[for=userIds]'),
			/Every poll sends one balance request per watched user/,
		);
		await readmePicture('trigger-panel');
		await page.mouse.move(0, 0);
	});

	it('fetches a test event: every watched user’s balance', async () => {
		await page.click('[data-test-id=ndv] [data-test-id=node-execute-button]');

		for (const userId of ['EKQZVMQK', 'EK6CYE6K', 'EKM4TQ2P'])
			await page.locator(`[data-test-id=ndv] >> text=${userId}`).first().waitFor();
		await selectOptions('event', 'Balance Changed');
		expect(await visibleParameters()).toEqual(['mode', 'minute', 'userIds', 'event']);
	});
});

describe('the credential dialog', () => {
	it('shows the token credential’s fields and passes its test against the sandbox', async () => {
		await openNode('EnkashConfigEvnt', 'Create Invoice Event');
		await page.click('[data-test-id=ndv] [data-test-id=credential-edit-button]');
		await page.waitForSelector(
			'[data-test-id=credential-edit-dialog] [data-test-id=parameter-input-baseUrl]',
		);
		const dialog = page.locator('[data-test-id=credential-edit-dialog]');

		await expect(
			dialog.locator('[data-test-id=parameter-input-accessToken]').isVisible(),
		).resolves.toBe(true);
		await dialog.locator('[data-test-id=credentials-config-container-test-success]').waitFor();
		await readmePicture('credential-dialog');
	});

	async function openPasswordCredential() {
		await page.goto(`${editor.n8n.baseUrl}/workflow/EnkashBalanceChk`);
		await page.waitForSelector('[data-test-id=canvas-node]');
		await page.dblclick('[data-test-id=canvas-node][data-node-name="Get Coin Balance"]');
		await page.click('[data-test-id=ndv] [data-test-id=credential-edit-button]');
		const dialog = page.locator('[data-test-id=credential-edit-dialog]');
		await dialog.locator('[data-test-id=parameter-input-clientId]').waitFor();
		return dialog;
	}

	/** Types a password as a person would, then waits for the dialog to offer saving it. */
	async function typePassword(dialog: Locator, password: string) {
		const input = dialog.locator('[data-test-id=parameter-input-password] input');
		// The field swaps its masked stored value for a new input on the first key typed.
		for (let attempt = 0; attempt < 3 && (await input.inputValue()) !== password; attempt++) {
			await input.click();
			await input.press('ControlOrMeta+a');
			await input.pressSequentially(password);
		}
		expect(await input.inputValue()).toBe(password);
		// The editor takes a typed value in after a pause, or when the field loses focus.
		await input.press('Tab');
		await page.waitForTimeout(1000);
		await page.locator('[data-test-id=credential-save-button]', { hasText: /^Save$/ }).waitFor();
	}

	const tokenRequestOutcomes = (since: number) =>
		editor.sandbox.requests
			.slice(since)
			.filter(({ path }) => path === '/oauth/token')
			.map(({ outcome }) => outcome);

	it('shows the password credential’s fields', async () => {
		const dialog = await openPasswordCredential();

		for (const field of [
			'baseUrl',
			'clientId',
			'clientSecret',
			'username',
			'password',
			'tokenUrl',
			'loginAttempt',
		]) {
			await expect(
				dialog.locator(`[data-test-id=parameter-input-${field}]`).isVisible(),
			).resolves.toBe(true);
		}
		for (const hidden of ['sessionToken', 'loginState', 'renewalClaim']) {
			await expect(
				dialog.locator(`[data-test-id=parameter-input-${hidden}]`).count(),
			).resolves.toBe(0);
		}
	});

	it('says where the Base URL and the client ID come from', async () => {
		const dialog = await openPasswordCredential();

		await expectDescription(
			dialog.locator('[data-test-id=clientId] label'),
			/Enkash issues, with its Client Secret, when it sets up API access/,
		);
		await expectDescription(
			dialog.locator('[data-test-id=baseUrl] label'),
			/UAT host, https:\/\/pay-uat\.enkash\.in.*https:\/\/pay\.enkash\.in is the host Enkash uses for its other live products; confirm it with Enkash/,
		);
		await readmePicture('password-credential');
		await page.mouse.move(0, 0);
	});

	it('tests the password credential on its first try with the right password, and reports Enkash’s refusal of a wrong one', async () => {
		const since = editor.sandbox.requests.length;
		const dialog = await openPasswordCredential();

		// The editor tests a credential when its dialog opens and when it is saved.
		await dialog.locator('[data-test-id=credentials-config-container-test-success]').waitFor();
		expect(tokenRequestOutcomes(since).every((outcome) => outcome === 'ok')).toBe(true);

		const beforeWrong = editor.sandbox.requests.length;
		await typePassword(dialog, 'wrong-password');
		await page.locator('[data-test-id=credential-save-button]').click();
		await dialog.getByText(/connect with these settings/i).waitFor();
		expect(tokenRequestOutcomes(beforeWrong)).toEqual(['400']);
		await dialog.getByText('More details').click();
		await screenshot('credential-refused');
		await expect(dialog.textContent()).resolves.toMatch(
			/Enkash refused the token request \(HTTP 400: Bad credentials\)/,
		);

		const beforeRight = editor.sandbox.requests.length;
		await typePassword(dialog, editor.sandbox.credentials.password);
		await page.locator('[data-test-id=credential-save-button]').click();
		await dialog.locator('[data-test-id=credentials-config-container-test-success]').waitFor();
		// The right password is a login Enkash accepted: while its token lasts, the test sends none.
		expect(['', 'ok']).toContain(tokenRequestOutcomes(beforeRight).join());
	});

	/** Clicks Retry in the dialog and waits for the editor's test to be answered. */
	async function retryTest(dialog: Locator) {
		const answered = page.waitForResponse(
			(response) => response.url().endsWith('/rest/credentials/test') && response.ok(),
		);
		await dialog.getByTitle('Retry credential test').filter({ visible: true }).click();
		await answered;
	}

	it('sends a refused login never again: opening the dialog and Retry send nothing, saying to raise Login Attempt; raising it and Save sends one token request', async () => {
		let dialog = await openPasswordCredential();
		await dialog.locator('[data-test-id=credentials-config-container-test-success]').waitFor();
		await typePassword(dialog, 'restored-later');
		await page.locator('[data-test-id=credential-save-button]').click();
		await dialog.getByText(/connect with these settings/i).waitFor();
		// Enkash's administrator then sets the password to what the credential holds.
		editor.sandbox.changePassword('restored-later');
		const since = editor.sandbox.requests.length;

		dialog = await openPasswordCredential();
		await dialog.getByText(/connect with these settings/i).waitFor();
		await dialog.getByText('More details').click();
		await expect(dialog.textContent()).resolves.toMatch(
			/Enkash refused the token request \(HTTP 400: Bad credentials\) at .* UTC\..* Values Enkash refused are never sent again: opening the credential, Save with the same values and Retry send nothing\..*raise Login Attempt by one and Save: that sends one token request\./,
		);
		await screenshot('credential-held-back');
		expect(tokenRequestOutcomes(since)).toEqual([]);

		await retryTest(dialog);
		await dialog.getByText(/connect with these settings/i).waitFor();
		expect(tokenRequestOutcomes(since)).toEqual([]);

		const attempt = dialog.locator('[data-test-id=parameter-input-loginAttempt] input');
		await expect(attempt.inputValue()).resolves.toBe('1');
		await attempt.click();
		await attempt.press('ControlOrMeta+a');
		await attempt.pressSequentially('2');
		await attempt.press('Tab');
		await page.waitForTimeout(1000);
		await page.locator('[data-test-id=credential-save-button]', { hasText: /^Save$/ }).click();
		await dialog.locator('[data-test-id=credentials-config-container-test-success]').waitFor();
		expect(tokenRequestOutcomes(since)).toEqual(['ok']);
		await screenshot('credential-login-attempt-raised');
	});
});

describe('the CSV campaign recipe', () => {
	// The result table has a column per field: the README's picture needs a wide screen.
	beforeAll(async () => {
		await page.setViewportSize({ width: 1920, height: 1080 });
	});
	afterAll(async () => {
		await page.setViewportSize({ width: 1400, height: 900 });
	});

	it('runs dry as shipped: each row next to what it would send, the summary above, nothing sent', async () => {
		await page.goto(`${editor.n8n.baseUrl}/workflow/EnkashCsvCampaig`);
		await page.waitForSelector('[data-test-id=canvas-node]');
		await page.click('[data-test-id=execute-workflow-button]');
		await page.dblclick('[data-test-id=canvas-node][data-node-name="Allocate Campaign Coins"]');

		for (const text of [
			'Asha Rao',
			'Meera Shah',
			'"User ID" is required but is empty [item 2]',
			/^Dry run: nothing was sent\. 3 items would credit 3 users for 1 event\./,
		])
			await page.locator('[data-test-id=ndv]').getByText(text).first().waitFor();
		expect(
			editor.sandbox.allocations().filter(({ requestId }) => requestId.startsWith('DIWALI-2026-')),
		).toEqual([]);
		await dragParametersPanelLeft();
		await readmePicture('campaign-result');
	});
});

/**
 * The controls the README names in bold, each where it says: the build fails
 * when n8n renames one or the README names one n8n does not show. A bold span
 * at the head of a list item, or ending in punctuation, is a title, not a control.
 */
function readmeControls(): string[] {
	const readme = fs.readFileSync(path.join(paths.repoRoot, 'README.md'), 'utf8');
	const named = readme.split('\n').flatMap((line) =>
		[...line.matchAll(/\*\*([^*]+)\*\*/g)]
			.filter(({ index }) => !/^\s*(?:[-*]|\d+\.)\s*$/.test(line.slice(0, index)))
			.map(([, text]) => text)
			.filter((text) => !/[:.?!]$/.test(text)),
	);
	return [...new Set(named)].sort();
}

describe('the controls the README names, in n8n 2.41.1', () => {
	/** Waits until n8n shows the control named `name`; "…" is the workflow's menu button. */
	async function expectShown(name: string) {
		// A label ends with a space, and a required field's with an asterisk: "Base URL *".
		const label = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\*?\\s*$`);
		const control =
			name === '…' ? page.locator('[data-test-id=workflow-menu]') : page.getByText(label);
		await control.filter({ visible: true }).first().waitFor({ timeout: 15_000 });
	}

	const addOption = () =>
		page.locator('[data-test-id=ndv]').getByPlaceholder('Add option').first().click();

	const PLACES: Array<{ where: string; controls: string[]; open: () => Promise<void> }> = [
		{
			where: 'Overview, its Credentials tab',
			controls: ['Overview', 'Credentials', 'Create credential'],
			open: () => page.goto(`${editor.n8n.baseUrl}/home/credentials`).then(() => undefined),
		},
		{
			where: 'the credential types Create credential offers',
			controls: ['Enkash Coins Password API', 'Enkash Coins API', 'Continue'],
			open: async () => {
				await page.getByText('Create credential', { exact: true }).first().click();
				await page.keyboard.type('Enkash Coins');
			},
		},
		{
			where: 'the new password credential’s dialog',
			controls: [
				'Base URL',
				'Client ID',
				'Client Secret',
				'Username',
				'Password',
				'Token URL',
				'Login Attempt',
				'Save',
			],
			open: async () => {
				await page.getByText('Enkash Coins Password API', { exact: true }).first().click();
				await page.getByText('Continue', { exact: true }).first().click();
			},
		},
		{
			where: 'the dialog after a failed test',
			controls: ['Retry'],
			open: async () => {
				const dialog = page.locator('[data-test-id=credential-edit-dialog]');
				// Nothing listens there: the test fails without a token request reaching the sandbox.
				const values = { baseUrl: 'http://127.0.0.1:9', clientId: 'c', clientSecret: 's' };
				for (const [field, value] of Object.entries({ ...values, username: 'u', password: 'p' }))
					await dialog.locator(`[data-test-id=parameter-input-${field}] input`).fill(value);
				await page.locator('[data-test-id=credential-save-button]').click();
				await dialog.getByText(/connect with these settings/i).waitFor();
			},
		},
		{
			where: 'the Allocate panel and its options',
			controls: [
				'Credential',
				'Dry Run',
				'Full Response',
				'Include Input Fields',
				'Max Allocations per Execution',
				'Max Concurrent Requests',
				'Timeout',
			],
			open: async () => {
				await openNode('EnkashReferralWh', 'Allocate Referral Coins');
				await addOption();
			},
		},
		{
			where: 'the Trigger’s options',
			controls: ['Skip Unreadable Users', 'Fire on First Poll'],
			open: async () => {
				await page.goto(`${editor.n8n.baseUrl}/workflow/EnkashLowBalTrig`);
				await page.dblclick('[data-test-id=canvas-node][data-node-name="Balance Fell Below 100"]');
				await addOption();
			},
		},
		{
			where: 'the workflow’s … menu',
			controls: ['…', 'Import', 'From file'],
			open: async () => {
				await page.goto(`${editor.n8n.baseUrl}/workflow/EnkashConfigEvnt`);
				await page.locator('[data-test-id=workflow-menu]').click();
				await page.getByText('Import', { exact: true }).filter({ visible: true }).first().hover();
			},
		},
		{
			where: 'Settings, its Community nodes page',
			controls: ['Settings', 'Community nodes', 'Install a community node'],
			open: () => page.goto(`${editor.n8n.baseUrl}/settings/community-nodes`).then(() => undefined),
		},
	];

	it('knows where n8n shows each of them', () => {
		expect(PLACES.flatMap(({ controls }) => controls).sort()).toEqual(readmeControls());
	});

	it.each(PLACES.map((place) => [place.where, place] as const))(
		'%s shows what the README names there',
		async (_, { controls, open }) => {
			await open();
			for (const name of controls) await expectShown(name);
			await screenshot(
				`readme-controls-${PLACES.findIndex((place) => place.controls === controls)}`,
			);
		},
	);
});
