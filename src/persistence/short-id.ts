/** Ids people type into chat: lowercase letters and digits, without look-alikes (0/o, 1/l/i). */
import { randomInt } from 'node:crypto';
import { Prisma } from './generated/client.js';

export const ID_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';

export function shortId(length: number): string {
  let id = '';
  for (let i = 0; i < length; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/** What a person typed, in the stored form: trimmed, lowercase. */
export function normaliseTypedId(id: string): string {
  return id.trim().toLowerCase();
}

export function isUniqueViolation(e: unknown): boolean {
  return e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002';
}

export function isNotFound(e: unknown): boolean {
  return e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2025';
}

/** Runs `create` with fresh random ids until one is free (a clash is rare; give up after a few). */
export async function withFreshId<T>(makeId: () => string, create: (id: string) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create(makeId());
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= 5) throw e;
    }
  }
}
