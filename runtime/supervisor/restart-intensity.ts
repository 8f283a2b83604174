/**
 * OTP's restart intensity: at most `intensity` restarts within any sliding
 * window of `periodMs`. One more means the supervisor gives up on its
 * children and escalates to its own parent.
 */
export type RestartIntensityOptions = {
  /** Restarts allowed within the period (0 = never restart). */
  intensity: number
  periodMs: number
}

export class RestartIntensity {
  readonly intensity: number
  readonly periodMs: number
  #restarts: number[] = []

  constructor(options: RestartIntensityOptions) {
    this.intensity = options.intensity
    this.periodMs = options.periodMs
  }

  /** Restarts counted in the window ending at `now`. */
  recent(now: number): number {
    this.#restarts = this.#restarts.filter((at) => at > now - this.periodMs)
    return this.#restarts.length
  }

  /** Records a restart at `now`; false when it would exceed the intensity (then nothing is recorded). */
  tryRecord(now: number): boolean {
    if (this.recent(now) >= this.intensity) return false
    this.#restarts.push(now)
    return true
  }

  /** Forgets every recorded restart (after the supervisor itself is restarted). */
  reset(): void {
    this.#restarts = []
  }
}
