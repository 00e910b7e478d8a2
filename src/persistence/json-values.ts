/** Converting the core's own state objects to what Prisma stores in Json columns. */
import { Prisma } from './generated/client.js';

/** The value's JSON text; throws for values JSON cannot hold at all. */
function jsonOf(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} is not representable as JSON`);
  return text;
}

/**
 * The value as JSON would carry it (Dates become strings, undefined properties vanish, NaN becomes
 * null), so what is read back equals what was written. Throws for values JSON cannot hold at all.
 */
export function plain(value: unknown, what: string): unknown {
  return JSON.parse(jsonOf(value, what));
}

/** For a required Json column: JSON null is stored as a JSON `null` value. */
export function jsonValue(value: unknown, what: string): Prisma.InputJsonValue | typeof Prisma.JsonNull {
  const v = plain(value, what);
  return v === null ? Prisma.JsonNull : (v as Prisma.InputJsonValue);
}

/** For an optional Json column: null clears it (SQL NULL), undefined leaves it unchanged. */
export function optionalJson(
  value: unknown,
  what: string,
): Prisma.InputJsonValue | typeof Prisma.DbNull | undefined {
  if (value === undefined) return undefined;
  if (value === null) return Prisma.DbNull;
  const v = plain(value, what);
  return v === null ? Prisma.DbNull : (v as Prisma.InputJsonValue);
}

/** For a Json column written in SQL: the value's JSON text, or null (SQL NULL) for null. */
export function jsonText(value: unknown, what: string): string | null {
  const text = jsonOf(value, what);
  return text === 'null' ? null : text;
}

/**
 * A time for a TIMESTAMP(3) column written in SQL: UTC, as the client stores every time, and typed
 * so that the session's time zone does not apply. null stays SQL NULL.
 */
export function sqlTime(date: Date | null): Prisma.Sql {
  if (date === null) return Prisma.sql`NULL`;
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  return Prisma.sql`${date.toISOString().replace('T', ' ').replace('Z', '')}::timestamp(3)`;
}
