/**
 * The enrollment a running host trusts, replaceable without a restart: a
 * newer list signed by the same administrator (same domain, later
 * `issuedAt`) takes the place of the current one. Handshakes and links read
 * it on every use, so a host removed from the list is refused from then on;
 * `replace` names the hosts whose entry went away or changed, so the host
 * closes their connections.
 */
import {
  type EnrolledHost,
  type Enrollment,
  EnrollmentInvalidError,
  verifyEnrollmentList,
} from './enrollment-list.ts'

export type EnrollmentChange = {
  /** False when the list was not newer than the current one (nothing changed). */
  readonly applied: boolean
  /** Hosts no longer enrolled, or enrolled with another key or role. */
  readonly revoked: readonly string[]
  readonly issuedAt: string
}

export class LiveEnrollment implements Enrollment {
  #current: Enrollment
  readonly #adminPublicKey: string

  constructor(initial: Enrollment, adminPublicKey: string) {
    this.#current = initial
    this.#adminPublicKey = adminPublicKey
  }

  get domain(): string {
    return this.#current.domain
  }

  get issuedAt(): string | undefined {
    return this.#current.issuedAt
  }

  get signed() {
    return this.#current.signed
  }

  get hosts(): readonly EnrolledHost[] {
    return this.#current.hosts
  }

  find(hostId: string): EnrolledHost | undefined {
    return this.#current.find(hostId)
  }

  /** Verifies `raw` against the administrator key; applies it when it is newer. Throws ENROLLMENT_INVALID. */
  replace(raw: unknown): EnrollmentChange {
    const next = verifyEnrollmentList(raw, this.#adminPublicKey)
    if (next.domain !== this.#current.domain) {
      throw new EnrollmentInvalidError(
        `the list is for domain '${next.domain}', this host is in '${this.#current.domain}'`,
      )
    }
    const issuedAt = next.issuedAt as string
    const current = this.#current.issuedAt ?? ''
    if (Date.parse(issuedAt) <= Date.parse(current))
      return { applied: false, revoked: [], issuedAt }
    const revoked = this.#current.hosts
      .filter((host) => {
        const now = next.find(host.hostId)
        return !now || now.publicKey !== host.publicKey || now.role !== host.role
      })
      .map((host) => host.hostId)
    this.#current = next
    return { applied: true, revoked, issuedAt }
  }
}
