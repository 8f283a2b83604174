/** SHA-256 of a file, streamed in chunks (never the whole file in memory). */

/** The hex SHA-256 of the bytes of the file at `path`. */
export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher('sha256')
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk)
  return hasher.digest('hex')
}
