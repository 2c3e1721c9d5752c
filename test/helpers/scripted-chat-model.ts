/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: it runs under jest on Node, never inside n8n */
/**
 * An OpenAI-compatible chat model that answers from a script instead of a
 * model, on loopback: n8n's OpenAI Chat Model node talks to it when its
 * credential's Base URL points here. It records every request, so a test can
 * read what the agent sent to the model, including the tools' results.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string | null;
	tool_call_id?: string;
	tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools?: Array<{ function: { name: string; description: string; parameters: unknown } }>;
	stream?: boolean;
}

/** What the model answers: text, or calls of the tools it was offered. */
export type ChatReply =
	| { text: string }
	| { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> };

/** The user's message the agent was given: its question. */
export const questionOf = (request: ChatRequest) =>
	request.messages.find(({ role }) => role === 'user')?.content ?? '';

/** What the agent sent back from the tools the model called. */
export const toolResults = (request: ChatRequest) =>
	request.messages.filter((message) => message.role === 'tool');

/** The name under which the agent offers a tool whose name contains `part`. */
export function toolNamed(request: ChatRequest, part: string) {
	const tool = request.tools?.find(({ function: { name } }) => name.includes(part));
	if (!tool) throw new Error(`No tool named like ${part} among ${JSON.stringify(request.tools)}`);
	return tool.function.name;
}

function completion(request: ChatRequest, reply: ChatReply, index: number) {
	const message =
		'text' in reply
			? { role: 'assistant', content: reply.text }
			: {
					role: 'assistant',
					content: null,
					tool_calls: reply.toolCalls.map((call, position) => ({
						id: `call_${index}_${position}`,
						type: 'function',
						function: { name: call.name, arguments: JSON.stringify(call.arguments) },
					})),
				};
	return {
		id: `chatcmpl-scripted-${index}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: request.model,
		choices: [{ index: 0, message, finish_reason: 'text' in reply ? 'stop' : 'tool_calls' }],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	};
}

/** The same answer as server-sent events, for a client that asks to stream. */
function streamed(answer: ReturnType<typeof completion>) {
	const [choice] = answer.choices;
	const message = choice.message as Record<string, unknown> & {
		tool_calls?: Array<Record<string, unknown>>;
	};
	const delta = {
		...message,
		tool_calls: message.tool_calls?.map((call, position) => ({ index: position, ...call })),
	};
	const chunk = (choices: unknown[]) =>
		`data: ${JSON.stringify({ ...answer, object: 'chat.completion.chunk', choices })}\n\n`;
	return (
		chunk([{ index: 0, delta, finish_reason: null }]) +
		chunk([{ index: 0, delta: {}, finish_reason: choice.finish_reason }]) +
		'data: [DONE]\n\n'
	);
}

export async function startScriptedChatModel(
	script: (request: ChatRequest, index: number) => ChatReply,
) {
	const requests: ChatRequest[] = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			if (req.method === 'GET' && req.url?.endsWith('/models')) {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ object: 'list', data: [{ id: 'scripted', object: 'model' }] }));
				return;
			}
			if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
				res.writeHead(404, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { message: `No route ${req.method} ${req.url}` } }));
				return;
			}
			const request = JSON.parse(body) as ChatRequest;
			requests.push(request);
			let answer: ReturnType<typeof completion>;
			try {
				answer = completion(request, script(request, requests.length - 1), requests.length - 1);
			} catch (error) {
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { message: (error as Error).message } }));
				return;
			}
			if (request.stream) {
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				res.end(streamed(answer));
			} else {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify(answer));
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		/** What to put in the OpenAI credential's Base URL. */
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
