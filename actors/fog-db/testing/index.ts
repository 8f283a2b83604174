/** Public surface of actors/fog-db/testing/: what other folders may import. */
// biome-ignore lint/performance/noBarrelFile: entrypoint module
export { sampleRecords, seededRandom } from './sample-records.ts'
export { startTestPostgres } from './start-postgres.ts'
