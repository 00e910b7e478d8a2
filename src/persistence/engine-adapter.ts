/**
 * A PGlite database in the shape Prisma's wasm schema engine calls: every adapter method returns
 * `{ ok: true, value }` or `{ ok: false, error }` (what Prisma's own adapter binder produces).
 */
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';

type Result = { ok: true; value: unknown } | { ok: false; error: unknown };
type AnyFn = (...args: unknown[]) => unknown;

/** JS errors that are not database errors are handed over by id and looked up by the engine. */
class ErrorRegistry {
  private readonly errors: ({ error: unknown } | undefined)[] = [];
  consumeError(id: number) {
    const entry = this.errors[id];
    this.errors[id] = undefined;
    return entry;
  }
  registerNewError(error: unknown): number {
    let id = this.errors.indexOf(undefined);
    if (id < 0) id = this.errors.length;
    this.errors[id] = { error };
    return id;
  }
}

function toResult(registry: ErrorRegistry, error: unknown): Result {
  const e = error as { name?: unknown; cause?: unknown };
  if (e?.name === 'DriverAdapterError' && typeof e.cause === 'object') return { ok: false, error: e.cause };
  return { ok: false, error: { kind: 'GenericJs', id: registry.registerNewError(error) } };
}

/** Copies `target` with the listed methods wrapped; `then` maps a successful value further. */
function bind(
  registry: ErrorRegistry,
  target: object,
  methods: string[],
  then: Record<string, (value: unknown) => unknown> = {},
): Record<string, unknown> {
  const source = target as Record<string, unknown>;
  const bound: Record<string, unknown> = {
    adapterName: source.adapterName,
    provider: source.provider,
    options: source.options,
    errorRegistry: registry,
  };
  for (const name of methods) {
    const fn = source[name] as AnyFn | undefined;
    if (typeof fn !== 'function') continue;
    const map = then[name] ?? ((v: unknown) => v);
    bound[name] =
      name === 'getConnectionInfo'
        ? () => {
            try {
              return { ok: true, value: fn.call(target) };
            } catch (e) {
              return toResult(registry, e);
            }
          }
        : async (...args: unknown[]): Promise<Result> => {
            try {
              return { ok: true, value: map(await fn.apply(target, args)) };
            } catch (e) {
              return toResult(registry, e);
            }
          };
  }
  return bound;
}

const txMethods = [
  'queryRaw',
  'executeRaw',
  'commit',
  'rollback',
  'createSavepoint',
  'rollbackToSavepoint',
  'releaseSavepoint',
];

function bindAdapter(registry: ErrorRegistry, adapter: object, db: PGlite) {
  // pglite-prisma-adapter does not await `exec` in executeScript, so failures would pass unnoticed.
  const strict = Object.assign(Object.create(adapter), {
    executeScript: async (script: string) => {
      await db.exec(script);
    },
  });
  return bind(
    registry,
    strict,
    ['queryRaw', 'executeRaw', 'executeScript', 'dispose', 'startTransaction', 'getConnectionInfo'],
    {
      startTransaction: (tx) => bind(registry, tx as object, txMethods),
    },
  );
}

/** The adapter factory for the engine: `db` is the main database, each shadow a fresh in-memory one. */
export function engineAdapterFactory(db: PGlite): Record<string, unknown> {
  const registry = new ErrorRegistry();
  const open = async (client: PGlite) =>
    bindAdapter(registry, await new PrismaPGlite(client).connect(), client);
  return {
    adapterName: 'pglite-prisma-adapter',
    provider: 'postgres',
    errorRegistry: registry,
    connect: async (): Promise<Result> => {
      try {
        return { ok: true, value: await open(db) };
      } catch (e) {
        return toResult(registry, e);
      }
    },
    connectToShadowDb: async (): Promise<Result> => {
      try {
        return { ok: true, value: await open(new PGlite()) };
      } catch (e) {
        return toResult(registry, e);
      }
    },
  };
}
