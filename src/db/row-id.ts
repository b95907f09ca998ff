/**
 * The largest row id: the tables' ids are Postgres `integer` (32-bit), so a larger number names
 * no row, and sent to SQL as one it fails the query instead. Every id read from a request is
 * checked against this first.
 */
export const MAX_ROW_ID = 2_147_483_647;
