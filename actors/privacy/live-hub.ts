/**
 * Shares one frame fetch among the live viewers of a camera who see it the
 * same way (same view mask): per (camera, mask) one loop asks the privacy
 * actor for the next frame on behalf of one of its viewers and hands the
 * rendered PNG to all of them, so 10 viewers cost one render and one
 * transfer per frame, not ten. Each viewer keeps only the newest frame it
 * has not taken yet (a slow client skips frames, nothing queues). A viewer
 * whose reply names another mask (its policy changed) is moved by its own
 * re-check (viewer-routes.ts); the loop never serves it frames of a mask
 * the actor did not just decide for it.
 */

export type LiveView = {
  readonly seq: number
  readonly t: number
  readonly png: Uint8Array | null
  readonly attributes: Record<string, string>
  readonly mask: number
}

export type LiveViewer<Caller> = {
  readonly caller: Caller
  mask: number
  /** The newest frame not yet taken. */
  pending: LiveView | undefined
  wake: (() => void) | undefined
  closed: boolean
}

export type LiveHubOptions<Caller> = {
  next(cameraId: string, afterSeq: number, caller: Caller): Promise<LiveView>
  pause(ms: number): Promise<void>
  pollMs: number
}

export function createLiveHub<Caller>(options: LiveHubOptions<Caller>) {
  const groups = new Map<string, Set<LiveViewer<Caller>>>()

  async function run(cameraId: string, mask: number, viewers: Set<LiveViewer<Caller>>) {
    let last = -1
    while (viewers.size > 0) {
      const asker = [...viewers].find((v) => v.mask === mask && !v.closed)
      if (!asker) break
      let view: LiveView
      try {
        view = await options.next(cameraId, last, asker.caller)
      } catch {
        asker.closed = true
        asker.wake?.()
        viewers.delete(asker)
        continue
      }
      if (view.mask !== mask) {
        asker.mask = view.mask
        continue
      }
      if (view.png === null) {
        await options.pause(options.pollMs)
        continue
      }
      last = view.seq
      for (const viewer of viewers) {
        if (viewer.mask !== mask) continue
        viewer.pending = view
        viewer.wake?.()
      }
    }
    groups.delete(`${cameraId} ${mask}`)
  }

  return {
    /** Adds `viewer` to the group of its mask (starting the group's loop). */
    join(cameraId: string, viewer: LiveViewer<Caller>) {
      const key = `${cameraId} ${viewer.mask}`
      let viewers = groups.get(key)
      if (!viewers) {
        viewers = new Set()
        groups.set(key, viewers)
        viewers.add(viewer)
        void run(cameraId, viewer.mask, viewers)
      } else viewers.add(viewer)
    },
    leave(cameraId: string, viewer: LiveViewer<Caller>, mask = viewer.mask) {
      groups.get(`${cameraId} ${mask}`)?.delete(viewer)
    },
    /** Viewers per group, for tests and metrics. */
    sizes: () => new Map([...groups].map(([key, set]) => [key, set.size])),
  }
}

export type LiveHub<Caller> = ReturnType<typeof createLiveHub<Caller>>
