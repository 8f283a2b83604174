/**
 * A restricted zone for alert tests: a 100 × 100 pixel square whose corner
 * is at (200, 100). A track whose feet enter it raises an intrusion alert.
 */
export const serverRoom = {
  name: 'server-room',
  restricted: true,
  polygon: [
    [200, 100],
    [300, 100],
    [300, 200],
    [200, 200],
  ],
}
