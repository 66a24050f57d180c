import type { ContainerRecord, TaskRecord } from './task-record.js';

/** Where a log line of a simulated container goes: the awslogs driver's group and stream. */
export interface LogSink {
  append(groupName: string, streamName: string, message: string): void;
}

/**
 * Writes a container's line where the `awslogs` driver of its task definition would: group
 * `awslogs-group`, stream `<awslogs-stream-prefix>/<container>/<task id>` (the task id alone
 * after the container name when there is no prefix). Containers logging elsewhere write nothing.
 */
export function writeTaskLog(sink: LogSink, task: TaskRecord, container: ContainerRecord, message: string): void {
  const definition = task.taskDefinition.containerDefinitions.find((c) => c.name === container.name);
  const config = definition?.logConfiguration as { logDriver?: string; options?: Record<string, string> } | undefined;
  const group = config?.options?.['awslogs-group'];
  if (config?.logDriver !== 'awslogs' || !group) return;
  const prefix = config.options?.['awslogs-stream-prefix'];
  sink.append(group, prefix ? `${prefix}/${container.name}/${task.id}` : `${container.name}/${task.id}`, message);
}
