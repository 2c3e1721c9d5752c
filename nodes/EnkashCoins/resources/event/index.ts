import type { EnkashResource } from '../../../shared/types';
import { createEvent } from './create';
import { getEvent } from './get';
import { updateEvent } from './update';

export const eventResource: EnkashResource = {
	value: 'event',
	name: 'Event',
	description: 'Configure how many coins an event earns',
	operations: [createEvent, getEvent, updateEvent],
	defaultOperation: createEvent,
};
