/** What a child process printed and how it exited. */
export type ChildOutput = {
  readonly stdout: string
  readonly stderr: string
  readonly code: number
}

/** A spawned child whose stdout is piped; its stderr may be piped too, or inherited. */
export type PipedChild = {
  readonly stdout: ReadableStream<Uint8Array>
  readonly stderr?: ReadableStream<Uint8Array> | number | null | undefined
  readonly exited: Promise<number>
}

/** Reads the child's stdout (and stderr, when piped; else '') to the end and waits for its exit. */
export async function childOutput(child: PipedChild): Promise<ChildOutput> {
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    child.stderr instanceof ReadableStream ? new Response(child.stderr).text() : '',
    child.exited,
  ])
  return { stdout, stderr, code }
}
