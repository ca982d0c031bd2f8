import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { type TaskSearchQuery } from './task.dto';

/** A task list filter a staff member named and kept, to reopen from any browser. */
@Entity('saved_task_view')
@Index(['owner', 'name'], { unique: true })
export class SavedTaskView {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** The owner's `sub`. */
  @Column({ type: 'text' }) owner!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'jsonb' }) query!: TaskSearchQuery;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
