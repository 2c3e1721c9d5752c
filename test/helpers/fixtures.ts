/** The company and event most tests credit, as the vendor's examples name them. */
export const COMPANY_ID = 'CEK0TCW2W8';
export const EVENT_NAME = 'REFERRAL_EVENT';
export const EVENT_AMOUNT = 50;
/** The user most tests credit or read. */
export const USER_ID = 'EKQZVMQK';

/** The input item of a single referral of the user. */
export const REFERRAL_ITEM = { userId: USER_ID, referralId: 'REF-1' };

/** Allocate parameters with fixed values, for tests that replace one of them. */
export const ALLOCATE_FIXED = {
	resource: 'allocation',
	operation: 'allocate',
	companyId: COMPANY_ID,
	eventName: EVENT_NAME,
	userId: USER_ID,
	requestId: REFERRAL_ITEM.referralId,
};

/** Allocate parameters that take the user and the request id from each input item. */
export const ALLOCATE_FROM_INPUT = {
	resource: 'allocation',
	operation: 'allocate',
	companyId: COMPANY_ID,
	eventName: EVENT_NAME,
	userId: '={{ $json.userId }}',
	requestId: '={{ $json.referralId }}',
};

/** Input items for distinct users, each with its own stable referral id. */
export function referralItems(count: number, prefix = 'EKUSER') {
	return Array.from({ length: count }, (_, index) => ({
		userId: `${prefix}${index}`,
		referralId: `REF-${prefix}${index}`,
	}));
}
