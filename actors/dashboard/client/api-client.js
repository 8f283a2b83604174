/**
 * The dashboard's one way to talk to the gateway: fetch with the session's
 * Bearer token on every data call; images arrive as blobs and are shown
 * through object URLs (so the token never goes into an <img src>).
 */

/** An error answer of the gateway, `{code, message}`, with its status. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(`${status} ${code}: ${message}`)
    this.status = status
    this.code = code
  }
}

export class ApiClient {
  #token = ''

  get token() {
    return this.#token
  }

  set token(value) {
    this.#token = value ?? ''
  }

  headers(extra = {}) {
    return this.#token ? { ...extra, authorization: `Bearer ${this.#token}` } : extra
  }

  async fetch(path, init = {}) {
    const response = await fetch(path, { ...init, headers: this.headers(init.headers) })
    if (!response.ok) {
      const body = await response.json().catch(() => ({}))
      throw new ApiError(
        response.status,
        body.code ?? 'HTTP_ERROR',
        body.message ?? response.statusText,
      )
    }
    return response
  }

  async json(path, init = {}) {
    return (await this.fetch(path, init)).json()
  }

  /** POST /v1/actors/{actor}/{message}. */
  ask(actor, message, payload = {}) {
    return this.json(`/v1/actors/${encodeURIComponent(actor)}/${encodeURIComponent(message)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    })
  }

  /** An object URL for an image the gateway serves; the caller revokes it. */
  async blobUrl(path) {
    return URL.createObjectURL(await (await this.fetch(path)).blob())
  }
}
