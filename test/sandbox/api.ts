/** The vendor API as the sandbox tests call it: its paths, the referral event, bodies. */
import { COMPANY_ID, EVENT_NAME, USER_ID } from '../helpers/fixtures';

export const CREATE = '/api/v0/enkash-coins/create-coins-config';
export const ALLOCATE = '/api/v0/enkash-coins/allocate-coin';
export const BALANCE = '/api/v0/coins/balance';
export const eventPath = (coinConfigId: string) => `/api/v0/enkash-coins/${coinConfigId}`;

export const REFERRAL = { companyId: COMPANY_ID, event: EVENT_NAME };
export const ALLOCATION = { ...REFERRAL, requestId: 'COIN_REQ1234567', userId: USER_ID };

export const envelope = (code: number, message: string, payload: unknown = null) => ({
	response_code: code,
	response_message: message,
	payload,
});
