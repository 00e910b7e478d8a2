import type { DatasetRepository } from '../persistence/index';
import { type ComparisonRequest, datasetIdsOf } from './request';

/** Where each dataset a request names is stored (by dataset id), and the ids no longer registered. */
export async function datasetPathsOf(
  datasets: Pick<DatasetRepository, 'get'>,
  team: string,
  request: Pick<ComparisonRequest, 'task'>,
): Promise<{ paths: Record<string, string>; missing: string[] }> {
  const paths: Record<string, string> = {};
  const missing: string[] = [];
  for (const id of datasetIdsOf(request.task)) {
    const dataset = await datasets.get(team, id);
    if (dataset) paths[dataset.id] = dataset.path;
    else missing.push(id);
  }
  return { paths, missing };
}
