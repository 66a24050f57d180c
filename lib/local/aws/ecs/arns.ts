/** ECS resource names: clusters, task definitions and tasks in the ARN formats ECS uses today. */
export class EcsArns {
  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  private prefix(): string {
    return `arn:aws:ecs:${this.region}:${this.accountId}`;
  }

  cluster(name: string): string {
    return `${this.prefix()}:cluster/${name}`;
  }

  taskDefinition(family: string, revision: number): string {
    return `${this.prefix()}:task-definition/${family}:${revision}`;
  }

  task(clusterName: string, id: string): string {
    return `${this.prefix()}:task/${clusterName}/${id}`;
  }

  container(clusterName: string, taskId: string, containerId: string): string {
    return `${this.prefix()}:container/${clusterName}/${taskId}/${containerId}`;
  }

  /** "corral", "arn:aws:ecs:...:cluster/corral" → "corral". */
  static clusterName(reference: string): string {
    const match = /^arn:aws[a-z-]*:ecs:[^:]*:\d*:cluster\/(.+)$/.exec(reference);
    return match ? match[1] : reference;
  }

  /** A task ARN (long or old format) or bare id → the id. */
  static taskId(reference: string): string {
    const match = /^arn:aws[a-z-]*:ecs:[^:]*:\d*:task\/(?:[^/]+\/)?([^/]+)$/.exec(reference);
    return match ? match[1] : reference;
  }
}
