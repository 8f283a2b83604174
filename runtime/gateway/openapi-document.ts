/**
 * Builds the OpenAPI 3.1 document of a gateway from the deployed actors'
 * protocols: one `POST /v1/actors/{actor}/{message}` operation per message,
 * with request and reply schemas from zod (`z.toJSONSchema`), the right a
 * caller needs (`x-vigil-access`) and the error responses the gateway can give.
 */
import { z } from 'zod'
import type { Protocol } from '../actor/define-actor.ts'

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  try {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
      io,
      unrepresentable: 'any',
      target: 'draft-2020-12',
    }) as Record<string, unknown>
    return rest
  } catch {
    return {}
  }
}

const errorBody = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'stable error code, see docs/errors.md' },
    message: { type: 'string', description: 'what went wrong and what to fix' },
    details: { type: 'string' },
    meta: { type: 'object' },
  },
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
})

/** The OpenAPI document for these protocols. */
export function openApiDocument(
  protocols: Readonly<Record<string, Protocol>>,
  info: { title?: string; version?: string } = {},
): Record<string, unknown> {
  const paths: Record<string, unknown> = {}
  for (const actor of Object.keys(protocols).sort()) {
    const protocol = protocols[actor] as Protocol
    for (const type of Object.keys(protocol).sort()) {
      const spec = protocol[type]
      if (!spec) continue
      paths[`/v1/actors/${actor}/${type}`] = {
        post: {
          operationId: `${actor}.${type}`,
          tags: [actor],
          summary: spec.description ?? `${type} to ${actor}`,
          'x-vigil-access': spec.access,
          ...(spec.idempotent ? { 'x-vigil-idempotent': true } : {}),
          ...(spec.errors?.length ? { 'x-vigil-errors': spec.errors } : {}),
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(spec.payload, 'input') } },
          },
          responses: {
            '200': {
              description: 'the actor’s reply',
              content: { 'application/json': { schema: jsonSchema(spec.reply, 'output') } },
            },
            '400': errorResponse('payload does not match the protocol (code PROTOCOL_VIOLATION)'),
            ...(spec.access === 'public'
              ? {}
              : {
                  '401': errorResponse('no or bad credential (see /v1/auth)'),
                  '403': errorResponse('the caller lacks the right in x-vigil-access'),
                }),
            '404': errorResponse('unknown actor or message'),
            '422': errorResponse('the actor refused the request (one of x-vigil-errors)'),
            '503': errorResponse('mailbox full or no host available; see Retry-After'),
            '504': errorResponse('no reply within the timeout'),
          },
        },
      }
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title ?? 'vigil gateway', version: info.version ?? '1' },
    paths,
    components: { schemas: { Error: errorBody } },
  }
}
