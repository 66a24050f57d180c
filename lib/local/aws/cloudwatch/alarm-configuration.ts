import { AwsError } from '../errors.js';
import { Input } from '../input.js';

const comparisonOperators = new Set([
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
]);
const statistics = new Set(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']);
const treatMissingData = new Set(['breaching', 'notBreaching', 'ignore', 'missing']);

export const missingParameter = (name: string): AwsError =>
  new AwsError('MissingParameter', `The parameter ${name} is required.`);
export const invalidValue = (message: string): AwsError => new AwsError('InvalidParameterValue', message);
export const invalidCombination = (message: string): AwsError => new AwsError('InvalidParameterCombination', message);

/**
 * Checks PutMetricAlarm's parameters as CloudWatch does (the service model's bounds and enums, and
 * the combinations the API reference requires) and answers the configuration to keep.
 */
export function validatedAlarmConfiguration(body: Record<string, unknown>): { name: string; configuration: Record<string, unknown> } {
  const input = Input.of(body, 'InvalidParameterValue');
  if (!input.has('AlarmName')) throw missingParameter('AlarmName');
  const name = input.string('AlarmName', { required: true, min: 1, max: 255 });
  if (!input.has('EvaluationPeriods')) throw missingParameter('EvaluationPeriods');
  const evaluationPeriods = input.integer('EvaluationPeriods', { min: 1 }) as number;
  if (!input.has('ComparisonOperator')) throw missingParameter('ComparisonOperator');
  const operator = input.string('ComparisonOperator', { required: true });
  if (!comparisonOperators.has(operator)) throw invalidValue(`Invalid ComparisonOperator: ${operator}`);
  input.string('AlarmDescription', { max: 1024 });
  for (const actions of ['OKActions', 'AlarmActions', 'InsufficientDataActions']) {
    const list = input.strings(actions);
    if (list !== undefined && list.length > 5) throw invalidValue(`The collection ${actions} must not have more than 5 members.`);
  }
  const datapoints = input.integer('DatapointsToAlarm', { min: 1 });
  if (datapoints !== undefined && datapoints > evaluationPeriods) {
    throw invalidValue('DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
  }
  const missing = input.string('TreatMissingData');
  if (missing !== undefined && !treatMissingData.has(missing)) throw invalidValue(`Invalid TreatMissingData: ${missing}`);

  if (input.has('Metrics')) {
    if (input.has('MetricName') || input.has('Namespace') || input.has('Statistic') || input.has('ExtendedStatistic')) {
      throw invalidCombination('Metrics cannot be combined with MetricName, Namespace, Statistic or ExtendedStatistic.');
    }
    const metrics = input.array('Metrics') ?? [];
    if (metrics.length === 0) throw invalidValue('Metrics must have at least one member.');
  } else {
    if (!input.has('MetricName')) throw missingParameter('MetricName');
    input.string('MetricName', { required: true, min: 1, max: 255 });
    if (!input.has('Namespace')) throw missingParameter('Namespace');
    input.string('Namespace', { required: true, min: 1, max: 255, pattern: /^[^:].*$/ });
    const statistic = input.string('Statistic');
    if (statistic !== undefined && !statistics.has(statistic)) throw invalidValue(`Invalid Statistic: ${statistic}`);
    if ((statistic === undefined) === !input.has('ExtendedStatistic')) {
      throw invalidCombination('Exactly one element of the Statistic and ExtendedStatistic parameters must be specified.');
    }
    if (!input.has('Period')) throw missingParameter('Period');
    const period = input.integer('Period', { min: 1 }) as number;
    if (![10, 20, 30].includes(period) && period % 60 !== 0) {
      throw invalidValue('The parameter Period must be 10, 20, 30 or a multiple of 60.');
    }
    const dimensions = input.array('Dimensions');
    if (dimensions !== undefined && dimensions.length > 30) throw invalidValue('The collection Dimensions must not have more than 30 members.');
  }
  if (!input.has('Threshold') && !input.has('ThresholdMetricId')) {
    throw invalidCombination('Either Threshold or ThresholdMetricId must be specified.');
  }
  const { AlarmName: _name, Tags: _tags, ...configuration } = body;
  return { name, configuration };
}
