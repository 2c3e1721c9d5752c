/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
/**
 * The editor as a person sees it, in a real browser: `npm start`'s n8n, with
 * the node on the canvas, its panel and its credential dialog.
 * Screenshots go to .e2e-runtime/screenshots/; with UPDATE_SCREENSHOTS=1 they
 * also replace the README's pictures in docs/images/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

import { startEditor } from '../../dev/playground';
import { freePort } from '../../dev/n8n';
import { resources } from '../../nodes/EnkashCoins/resources';
import { everyOperation } from '../helpers/operations';

const REPO_ROOT = path.resolve(__dirname, '../..');
const SCREENSHOTS = path.join(REPO_ROOT, '.e2e-runtime/screenshots');
const README_IMAGES = path.join(REPO_ROOT, 'docs/images');
const ICON_PATH = '/icons/n8n-nodes-enkash-coins/dist/nodes/icons/enkashCoins.svg';

let editor: Awaited<ReturnType<typeof startEditor>>;
let browser: Browser;
let page: Page;

async function screenshot(name: string) {
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	const file = path.join(SCREENSHOTS, `${name}.png`);
	await page.screenshot({ path: file });
	if (process.env.UPDATE_SCREENSHOTS === '1')
		fs.copyFileSync(file, path.join(README_IMAGES, `${name}.png`));
}

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
		await screenshot('canvas');
	});
});

describe('the node panel', () => {
	beforeAll(async () => {
		await openNode('EnkashConfigEvnt', 'Create Invoice Event');
	});

	// The README's picture of the panel: a node of the webhook example that really allocates.
	afterAll(async () => {
		await openNode('EnkashReferralWh', 'Allocate Referral Coins');
		await screenshot('allocate-panel');
	});

	it('lists the resources and the operations of each', async () => {
		expect(await selectOptions('resource')).toEqual(resources.map(({ name }) => name));
		// The panel opens on an Event node.
		expect(await selectOptions('operation')).toEqual(
			everyOperation
				.filter(({ resource }) => resource.value === 'event')
				.map(({ operation }) => operation.name),
		);
		await screenshot('node-panel');
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

	it('offers "Update Fields" for Update', async () => {
		await selectOptions('resource', 'Event');
		await selectOptions('operation', 'Update');

		await expect(
			page.locator('[data-test-id=ndv] >> text=Update Fields').first().isVisible(),
		).resolves.toBe(true);
	});
});

describe('the trigger panel', () => {
	beforeAll(async () => {
		await page.goto(`${editor.n8n.baseUrl}/workflow/EnkashLowBalTrig`);
		await page.waitForSelector('[data-test-id=canvas-node]');
		await page.dblclick('[data-test-id=canvas-node][data-node-name="Balance Fell Below 100"]');
		await page.waitForSelector('[data-test-id=ndv] [data-test-id=parameter-input-userIds]');
	});

	it('shows the Enkash Coins Trigger’s events, and the threshold only for a crossing', async () => {
		// mode and minute are n8n's Poll Times: every hour at minute 0 in the example.
		expect(await visibleParameters()).toEqual(['mode', 'minute', 'userIds', 'event', 'threshold']);
		expect(await selectOptions('event')).toEqual([
			'Balance Changed',
			'Balance Fell Below',
			'Balance Rose Above',
		]);
		await screenshot('trigger-panel');
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
		await screenshot('credential-dialog');
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
		]) {
			await expect(
				dialog.locator(`[data-test-id=parameter-input-${field}]`).isVisible(),
			).resolves.toBe(true);
		}
		await expect(
			dialog.locator('[data-test-id=parameter-input-sessionToken]').count(),
		).resolves.toBe(0);
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
		expect(tokenRequestOutcomes(beforeRight)).toEqual(['ok']);
	});
});
