/** The `code` of the error a synchronous call throws, or 'none' when it returns: for tests. */
export function codeOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    return (error as { code?: string }).code
  }
  return 'none'
}
