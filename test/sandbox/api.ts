/** The vendor API as the sandbox tests call it: its paths, the referral event, bodies. */

export const CREATE = '/api/v0/enkash-coins/create-coins-config';
export const ALLOCATE = '/api/v0/enkash-coins/allocate-coin';
export const BALANCE = '/api/v0/coins/balance';
export const eventPath = (coinConfigId: string) => `/api/v0/enkash-coins/${coinConfigId}`;

export const REFERRAL = { companyId: 'CEK0TCW2W8', event: 'REFERRAL_EVENT' };
export const ALLOCATION = { ...REFERRAL, requestId: 'COIN_REQ1234567', userId: 'EKQZVMQK' };

export const envelope = (code: number, message: string, payload: unknown = null) => ({
	response_code: code,
	response_message: message,
	payload,
});
