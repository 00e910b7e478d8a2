import type { CommandHandlers } from '../commands/registry';
import type { ComparisonService } from './service';

/** The job commands, backed by the comparison service. */
export function comparisonCommands(service: ComparisonService): CommandHandlers {
  return {
    compare: (ctx) => service.compare(ctx),
    plan: (ctx) => service.plan(ctx),
    combine: (ctx) => service.combine(ctx),
    jobs: (ctx) => service.list(ctx),
    status: (ctx) => service.status(ctx),
    cancel: (ctx) => service.cancel(ctx),
    retry: (ctx) => service.retry(ctx),
    results: (ctx) => service.results(ctx),
    adapter: (ctx) => service.adapter(ctx),
    subscribe: (ctx) => service.subscribe(ctx),
    unsubscribe: (ctx) => service.unsubscribe(ctx),
    quota: (ctx) => service.quota(ctx),
  };
}
