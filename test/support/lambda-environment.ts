/** What the stack sets, with placeholder values, plus what the Lambda runtime provides. */
export const lambdaLikeEnvironment = {
  AWS_REGION: 'eu-west-1',
  AWS_LAMBDA_FUNCTION_NAME: 'corral-api',
  TABLE_NAME: 'corral',
  CLUSTER_ARN: 'arn:aws:ecs:eu-west-1:123456789012:cluster/corral',
  REQUEUE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/requeue',
  SUBNET_IDS: 'subnet-1,subnet-2',
  SECURITY_GROUP_IDS: 'sg-1',
  ASSIGN_PUBLIC_IP: 'ENABLED',
  EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/execution',
  TASK_ROLE_ARN: 'arn:aws:iam::123456789012:role/task',
  LOG_GROUP_PREFIX: '/corral/services/',
  ROTATION_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:rotation',
  POWERTOOLS_SERVICE_NAME: 'corral-api',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};
