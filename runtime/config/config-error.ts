import { BaseError } from '../errors/base-error.ts'

/** One invalid field: its dotted path and what is allowed there. */
export type ConfigProblem = { readonly path: string; readonly message: string }

/** The configuration could not be loaded; lists every problem at once. */
export class ConfigError extends BaseError {
  static override readonly code = 'CONFIG_INVALID'
  override name = 'ConfigError'
  readonly problems: readonly ConfigProblem[]
  constructor(problems: readonly ConfigProblem[], source: string) {
    super(
      ConfigError.code,
      `Invalid configuration (${source}): ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      { kind: 'application', meta: { problems, source } },
    )
    this.problems = problems
  }
}
