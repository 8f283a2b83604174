import { defineError } from '../errors/define-error.ts'

/** One invalid field: its dotted path and what is allowed there. */
export type ConfigProblem = { readonly path: string; readonly message: string }

/** The configuration could not be loaded; lists every problem at once. */
export class ConfigError extends defineError('CONFIG_INVALID') {
  readonly problems: readonly ConfigProblem[]
  constructor(problems: readonly ConfigProblem[], source: string) {
    super(
      `Invalid configuration (${source}): ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      { kind: 'application', meta: { problems, source } },
    )
    this.problems = problems
  }
}
