export { efficiencyTable, taskMetricsTable, UNCERTAINTY_NOTE } from './analysis-tables';
export { analyzeComparison, type ComparisonAnalysis } from './comparison-analysis';
export { aggregateCurves, type CurvePoint, evalLossCurve, trainLossCurve } from './curves';
export { type EfficiencyMeasure, efficiencyMeasures } from './efficiency';
export { taskHeadline } from './headlines';
export {
  ASSUMED_RATES,
  type ComputeRates,
  measuredCompute,
  measuredCostInputs,
  runHours,
} from './measured-cost';
export {
  judgeDifference,
  type MetricOutcome,
  type MetricVerdict,
  OUTCOME_LABELS,
  pairedDifference,
} from './paired-difference';
export { methodPlateau, PLATEAU_SHARE, plateauStart, stepsToPlateau } from './plateau';
export { CONFIDENCE, type SampleSummary, seedsNeeded, summarize, tQuantile } from './statistics';
export { type SuiteSummary, summarizeSuite } from './suite-summary';
export { suiteSummaryTable } from './suite-table';
export { analyzeTask, type MetricComparison, type TaskAnalysis } from './task-analysis';
export * from './uncertainty-format';
