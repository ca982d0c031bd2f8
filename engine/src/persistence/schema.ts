import type pg from 'pg';

/**
 * The engine's own database. `engine_log` is the source of truth; the other
 * tables are projections for the search endpoints, written in the same
 * transaction as the events that change them. Migrations are numbered and
 * never edited once shipped; a new change is a new entry.
 */
const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'log and projections',
    sql: `
      CREATE TABLE engine_log (
        position   bigint PRIMARY KEY,
        events     jsonb NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE process_definition (
        process_definition_key bigint PRIMARY KEY,
        process_definition_id  text NOT NULL,
        version                integer NOT NULL,
        name                   text,
        version_tag            text,
        resource_name          text NOT NULL,
        tenant_id              text NOT NULL,
        deployment_key         bigint NOT NULL,
        xml                    text NOT NULL,
        UNIQUE (process_definition_id, version, tenant_id)
      );
      CREATE TABLE process_instance (
        process_instance_key   bigint PRIMARY KEY,
        process_definition_key bigint NOT NULL,
        process_definition_id  text NOT NULL,
        process_definition_name text,
        process_definition_version integer NOT NULL,
        process_definition_version_tag text,
        state                  text NOT NULL,
        has_incident           boolean NOT NULL,
        start_date             timestamptz NOT NULL,
        end_date               timestamptz,
        tenant_id              text NOT NULL
      );
      CREATE INDEX process_instance_by_definition ON process_instance (process_definition_id, state);
      CREATE TABLE element_instance (
        element_instance_key   bigint PRIMARY KEY,
        process_instance_key   bigint NOT NULL,
        process_definition_key bigint NOT NULL,
        process_definition_id  text NOT NULL,
        flow_scope_key         bigint,
        element_id             text NOT NULL,
        element_name           text NOT NULL,
        type                   text NOT NULL,
        state                  text NOT NULL,
        has_incident           boolean NOT NULL,
        incident_key           bigint,
        start_date             timestamptz NOT NULL,
        end_date               timestamptz,
        tenant_id              text NOT NULL
      );
      CREATE INDEX element_instance_by_process_instance ON element_instance (process_instance_key);
      CREATE TABLE variable (
        variable_key           bigint PRIMARY KEY,
        name                   text NOT NULL,
        value                  text NOT NULL,
        scope_key              bigint NOT NULL,
        process_instance_key   bigint NOT NULL,
        tenant_id              text NOT NULL
      );
      CREATE INDEX variable_by_process_instance ON variable (process_instance_key, name);
      CREATE INDEX variable_by_scope ON variable (scope_key);
      CREATE TABLE incident (
        incident_key           bigint PRIMARY KEY,
        process_definition_key bigint NOT NULL,
        process_definition_id  text NOT NULL,
        process_instance_key   bigint NOT NULL,
        element_instance_key   bigint NOT NULL,
        element_id             text NOT NULL,
        error_type             text NOT NULL,
        error_message          text NOT NULL,
        state                  text NOT NULL,
        job_key                bigint,
        creation_time          timestamptz NOT NULL,
        tenant_id              text NOT NULL
      );
      CREATE INDEX incident_by_process_instance ON incident (process_instance_key);
    `,
  },
  {
    version: 2,
    name: 'decisions and forms',
    sql: `
      CREATE TABLE decision_requirements (
        decision_requirements_key  bigint PRIMARY KEY,
        decision_requirements_id   text NOT NULL,
        decision_requirements_name text NOT NULL,
        version                    integer NOT NULL,
        resource_name              text NOT NULL,
        tenant_id                  text NOT NULL,
        deployment_key             bigint NOT NULL,
        xml                        text NOT NULL,
        UNIQUE (decision_requirements_id, version, tenant_id)
      );
      CREATE TABLE decision_definition (
        decision_definition_key    bigint PRIMARY KEY,
        decision_definition_id     text NOT NULL,
        name                       text NOT NULL,
        version                    integer NOT NULL,
        decision_requirements_key  bigint NOT NULL REFERENCES decision_requirements,
        decision_requirements_id   text NOT NULL,
        tenant_id                  text NOT NULL,
        UNIQUE (decision_definition_id, version, tenant_id)
      );
      CREATE TABLE form (
        form_key       bigint PRIMARY KEY,
        form_id        text NOT NULL,
        version        integer NOT NULL,
        resource_name  text NOT NULL,
        tenant_id      text NOT NULL,
        deployment_key bigint NOT NULL,
        schema         text NOT NULL,
        UNIQUE (form_id, version, tenant_id)
      );
    `,
  },
  {
    version: 3,
    name: 'user tasks',
    sql: `
      CREATE TABLE user_task (
        user_task_key              bigint PRIMARY KEY,
        element_instance_key       bigint NOT NULL,
        process_instance_key       bigint NOT NULL,
        process_definition_key     bigint NOT NULL,
        process_definition_id      text NOT NULL,
        process_definition_version integer NOT NULL,
        process_name               text,
        element_id                 text NOT NULL,
        name                       text,
        state                      text NOT NULL,
        assignee                   text,
        candidate_groups           text[] NOT NULL,
        candidate_users            text[] NOT NULL,
        due_date                   timestamptz,
        follow_up_date             timestamptz,
        due_date_text              text,
        follow_up_date_text        text,
        creation_date              timestamptz NOT NULL,
        completion_date            timestamptz,
        priority                   integer NOT NULL,
        form_key                   bigint,
        external_form_reference    text,
        custom_headers             jsonb NOT NULL,
        tenant_id                  text NOT NULL
      );
      -- The task list's common questions: open tasks of a group or a person, by due date.
      -- Covering: a group's open tasks by due date, and their count, come from the index alone.
      CREATE INDEX user_task_by_state_due ON user_task (state, due_date, user_task_key) INCLUDE (candidate_groups, assignee);
      CREATE INDEX user_task_by_assignee ON user_task (assignee, state, due_date);
      CREATE INDEX user_task_by_candidate_groups ON user_task USING gin (candidate_groups);
      CREATE INDEX user_task_by_candidate_users ON user_task USING gin (candidate_users);
      CREATE INDEX user_task_by_process_instance ON user_task (process_instance_key);
    `,
  },
  {
    version: 4,
    name: 'called process instances',
    sql: `
      ALTER TABLE process_instance ADD COLUMN parent_process_instance_key bigint, ADD COLUMN parent_element_instance_key bigint;
      CREATE INDEX process_instance_by_parent ON process_instance (parent_process_instance_key) WHERE parent_process_instance_key IS NOT NULL;
    `,
  },
  {
    version: 5,
    name: 'state snapshots',
    sql: `
      CREATE TABLE engine_snapshot (
        position   bigint PRIMARY KEY,
        state      text NOT NULL,
        taken_at   timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 6,
    name: 'jobs, message subscriptions, sequence flows, decision instances',
    sql: `
      CREATE TABLE job (
        job_key                bigint PRIMARY KEY,
        type                   text NOT NULL,
        worker                 text,
        state                  text NOT NULL,
        retries                integer NOT NULL,
        has_failed_with_retries_left boolean NOT NULL,
        error_code             text,
        error_message          text,
        custom_headers         jsonb NOT NULL,
        deadline               timestamptz,
        end_time               timestamptz,
        process_definition_id  text NOT NULL,
        process_definition_key bigint NOT NULL,
        process_instance_key   bigint NOT NULL,
        element_id             text NOT NULL,
        element_instance_key   bigint NOT NULL,
        tenant_id              text NOT NULL
      );
      CREATE INDEX job_by_type_state ON job (type, state);
      CREATE INDEX job_by_process_instance ON job (process_instance_key);
      CREATE TABLE message_subscription (
        message_subscription_key bigint PRIMARY KEY,
        process_definition_id  text NOT NULL,
        process_definition_key bigint NOT NULL,
        process_instance_key   bigint NOT NULL,
        element_id             text NOT NULL,
        element_instance_key   bigint NOT NULL,
        state                  text NOT NULL,
        last_updated_date      timestamptz NOT NULL,
        message_name           text NOT NULL,
        correlation_key        text NOT NULL,
        tenant_id              text NOT NULL
      );
      CREATE INDEX message_subscription_by_process_instance ON message_subscription (process_instance_key);
      CREATE INDEX message_subscription_by_message ON message_subscription (message_name, correlation_key);
      -- A flow taken once or many times in an instance is one row, as Operate draws it.
      CREATE TABLE sequence_flow (
        process_instance_key   bigint NOT NULL,
        sequence_flow_id       text NOT NULL,
        process_definition_key bigint NOT NULL,
        process_definition_id  text NOT NULL,
        tenant_id              text NOT NULL,
        PRIMARY KEY (process_instance_key, sequence_flow_id)
      );
      CREATE TABLE decision_instance (
        decision_evaluation_instance_key text PRIMARY KEY,
        decision_evaluation_key  bigint NOT NULL,
        state                    text NOT NULL,
        evaluation_date          timestamptz NOT NULL,
        evaluation_failure       text,
        decision_definition_key  bigint NOT NULL,
        decision_definition_id   text NOT NULL,
        decision_definition_name text NOT NULL,
        decision_definition_version integer NOT NULL,
        decision_definition_type text NOT NULL,
        result                   text NOT NULL,
        evaluated_inputs         jsonb NOT NULL,
        matched_rules            jsonb NOT NULL,
        root_decision_definition_key bigint NOT NULL,
        process_definition_key   bigint,
        process_instance_key     bigint,
        element_instance_key     bigint,
        tenant_id                text NOT NULL
      );
      CREATE INDEX decision_instance_by_evaluation ON decision_instance (decision_evaluation_key);
      CREATE INDEX decision_instance_by_process_instance ON decision_instance (process_instance_key) WHERE process_instance_key IS NOT NULL;
      CREATE INDEX decision_instance_by_definition ON decision_instance (decision_definition_key);
    `,
  },
  {
    version: 7,
    name: 'snapshots in chunks',
    // A snapshot row with chunks set holds only its scalar fields in state; its
    // entities are in that many chunk rows. chunks NULL: the whole state is in
    // state (snapshots written before chunks).
    sql: `
      ALTER TABLE engine_snapshot ADD COLUMN chunks integer;
      CREATE TABLE engine_snapshot_chunk (
        position   bigint NOT NULL REFERENCES engine_snapshot (position) ON DELETE CASCADE,
        seq        integer NOT NULL,
        kind       text NOT NULL,
        body       text NOT NULL,
        PRIMARY KEY (position, seq)
      );
    `,
  },
  {
    version: 8,
    name: 'job kind and listener event type',
    // Listener jobs are searched by kind as Zeebe reports them; rows written
    // before this were re-projected at start, the defaults cover ended jobs.
    sql: `
      ALTER TABLE job ADD COLUMN kind text NOT NULL DEFAULT 'BPMN_ELEMENT';
      ALTER TABLE job ADD COLUMN listener_event_type text NOT NULL DEFAULT 'UNSPECIFIED';
    `,
  },
  {
    version: 9,
    name: 'batch operations and their items',
    // Batch operations are read from here, as committed; the ones in memory
    // (and so in snapshots) are projected again at every start.
    sql: `
      CREATE TABLE batch_operation (
        batch_operation_key        bigint PRIMARY KEY,
        batch_operation_type       text NOT NULL,
        state                      text NOT NULL,
        start_date                 timestamptz NOT NULL,
        end_date                   timestamptz,
        operations_total_count     integer NOT NULL CHECK (operations_total_count >= 0),
        operations_completed_count integer NOT NULL CHECK (operations_completed_count >= 0),
        operations_failed_count    integer NOT NULL CHECK (operations_failed_count >= 0),
        CHECK (operations_completed_count + operations_failed_count <= operations_total_count)
      );
      CREATE INDEX batch_operation_by_state ON batch_operation (state, batch_operation_key);
      CREATE TABLE batch_operation_item (
        batch_operation_key  bigint NOT NULL,
        process_instance_key bigint NOT NULL,
        operation_type       text NOT NULL,
        state                text NOT NULL,
        processed_date       timestamptz,
        error_message        text,
        PRIMARY KEY (batch_operation_key, process_instance_key)
      );
      CREATE INDEX batch_operation_item_by_instance ON batch_operation_item (process_instance_key);
    `,
  },
];

export async function migrate(client: pg.ClientBase): Promise<void> {
  await client.query('CREATE TABLE IF NOT EXISTS engine_schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
  const { rows } = await client.query<{ version: number }>('SELECT version FROM engine_schema_version');
  const applied = new Set(rows.map((r) => r.version));
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query('INSERT INTO engine_schema_version (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }
}
