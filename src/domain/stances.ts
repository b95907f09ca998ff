/** What a party can say about a goal, and the board's word for "said nothing". */
import { stance } from '../db/schema.ts';

/** The database enum's values: one list for both. */
export const STANCES = stance.enumValues;
export type Stance = (typeof STANCES)[number];

/** On the board a party that has not answered is a fact of its own, never "declined". */
export const BOARD_STANCES = [...STANCES, 'none'] as const;
export type BoardStance = (typeof BOARD_STANCES)[number];
