import { invalidArgument, notFound } from '../processing/rejection';

/** JSON-schema pieces shared by the routes (validated by Fastify's Ajv, without type coercion). */
export const keySchema = { type: 'string', pattern: '^[0-9]{1,19}$' } as const;
/** Keys arrive as strings (int64 on the wire); some clients send numbers. */
export const keyOrNumberSchema = { anyOf: [keySchema, { type: 'integer', minimum: 0 }] } as const;
export const variablesSchema = { type: 'object', additionalProperties: true } as const;
export const keyParams = (name: string) =>
  ({ type: 'object', required: [name], properties: { [name]: keySchema } }) as const;

export const searchBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    filter: { type: 'object' },
    sort: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field'],
        additionalProperties: false,
        properties: { field: { type: 'string' }, order: { type: 'string', enum: ['asc', 'desc', 'ASC', 'DESC'] } },
      },
    },
    page: {
      type: 'object',
      additionalProperties: false,
      properties: {
        from: { type: 'integer', minimum: 0 },
        limit: { type: 'integer', minimum: 0 },
        after: { type: 'string' },
        before: { type: 'string' },
      },
    },
  },
} as const;

/**
 * Our keys are below 2^53 (KEY_BASE is 2^51), so a larger key names nothing
 * this engine made: it is simply not found.
 */
export function toKey(raw: string | number, what: string): number {
  const key = Number(raw);
  if (!Number.isSafeInteger(key)) throw notFound(`Expected to find ${what} with key '${raw}', but none found`);
  return key;
}

/**
 * An optional JSON object body (Camunda's statistics and deletion bodies may
 * be left out): absent is `{}`; anything else must be an object with only
 * the properties named, each passing its check.
 */
export function optionalObjectBody<T extends Record<string, unknown>>(body: unknown, properties: Record<keyof T & string, (value: unknown) => boolean>): Partial<T> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidArgument('Expected the request body to be a JSON object.');
  for (const [name, value] of Object.entries(body)) {
    const check = properties[name];
    if (!check) throw invalidArgument(`The property 'body.${name}' is not supported; known properties: ${Object.keys(properties).join(', ')}.`);
    if (value !== undefined && !check(value)) throw invalidArgument(`The property 'body.${name}' is invalid: ${JSON.stringify(value)}.`);
  }
  return body;
}
