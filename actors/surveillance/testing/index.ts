/** Public surface of actors/surveillance/testing/: what other folders may import. */
// biome-ignore lint/performance/noBarrelFile: entrypoint module
export { serverRoom } from './server-room.ts'
export {
  actorBox,
  groundTruth,
  loiterer,
  renderScene,
  standardScene,
  walker,
} from './synthetic-scene.ts'
