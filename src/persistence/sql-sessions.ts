/** The migration applier's one-connection interface over a pg client or a PGlite database. */
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { SqlSession } from './migrate.js';

export function pgClientSession(client: pg.Client): SqlSession {
  return {
    query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[],
    exec: async (script: string) => {
      await client.query(script); // no parameters: the simple protocol, several statements allowed
    },
  };
}

export function pgliteSession(db: PGlite): SqlSession {
  return {
    query: async <R>(sql: string, params?: unknown[]) => (await db.query<R>(sql, params)).rows,
    exec: async (script: string) => {
      await db.exec(script);
    },
  };
}
