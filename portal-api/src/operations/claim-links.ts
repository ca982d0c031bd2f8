import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ClaimLink {
  readonly id: string;
  readonly reference: string;
  readonly status: string;
}

/**
 * Which claim a process instance runs: the claim row that recorded the
 * instance's key. Operations staff see instances; the claim is what people
 * talk about, and what every action is audited against.
 */
@Injectable()
export class ClaimLinks {
  constructor(private readonly dataSource: DataSource) {}

  async byInstance(processInstanceKeys: readonly string[]): Promise<Map<string, ClaimLink>> {
    if (processInstanceKeys.length === 0) return new Map();
    const rows = await this.dataSource.query<{ id: string; reference: string; status: string; process_instance_key: string }[]>(
      'SELECT id, reference, status, process_instance_key FROM claim WHERE process_instance_key = ANY($1)',
      [processInstanceKeys],
    );
    return new Map(rows.map((row) => [row.process_instance_key, { id: row.id, reference: row.reference, status: row.status }]));
  }

  async ofInstance(processInstanceKey: string): Promise<ClaimLink | null> {
    return (await this.byInstance([processInstanceKey])).get(processInstanceKey) ?? null;
  }
}
