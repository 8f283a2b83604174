CREATE TABLE "alerts" (
	"host_id" text NOT NULL,
	"id" text NOT NULL,
	"camera_id" text NOT NULL,
	"track_id" text,
	"ts_ms" bigint NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"decision" text,
	CONSTRAINT "alerts_host_id_id_pk" PRIMARY KEY("host_id","id")
);
--> statement-breakpoint
CREATE TABLE "audit_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ran_at_ms" bigint NOT NULL,
	"scope" text NOT NULL,
	"checked" bigint NOT NULL,
	"intact" bigint NOT NULL,
	"tampered" bigint NOT NULL,
	"missing" bigint NOT NULL,
	"unrecorded" bigint NOT NULL,
	"report" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cameras" (
	"host_id" text NOT NULL,
	"id" text NOT NULL,
	"zone" text NOT NULL,
	"label" text NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"installed_at_ms" bigint,
	CONSTRAINT "cameras_host_id_id_pk" PRIMARY KEY("host_id","id")
);
--> statement-breakpoint
CREATE TABLE "detections" (
	"host_id" text NOT NULL,
	"id" text NOT NULL,
	"camera_id" text NOT NULL,
	"segment_id" text,
	"ts_ms" bigint NOT NULL,
	"label" text NOT NULL,
	"confidence" double precision NOT NULL,
	"bbox" text NOT NULL,
	CONSTRAINT "detections_host_id_id_pk" PRIMARY KEY("host_id","id")
);
--> statement-breakpoint
CREATE TABLE "enf_fingerprints" (
	"host_id" text NOT NULL,
	"id" text NOT NULL,
	"recording_id" text NOT NULL,
	"camera_id" text,
	"captured_at_ms" bigint,
	"fingerprint_sha256" text NOT NULL,
	"ledger_key" text NOT NULL,
	CONSTRAINT "enf_fingerprints_host_id_id_pk" PRIMARY KEY("host_id","id")
);
--> statement-breakpoint
CREATE TABLE "integrity_batches" (
	"digest" text PRIMARY KEY NOT NULL,
	"host_id" text NOT NULL,
	"host_public_key" text NOT NULL,
	"signature" text NOT NULL,
	"size" bigint NOT NULL,
	"ingested_at_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "integrity_receipts" (
	"table_name" text NOT NULL,
	"host_id" text NOT NULL,
	"record_id" text NOT NULL,
	"record_hash" text NOT NULL,
	"batch_digest" text NOT NULL,
	"leaf_hash" text NOT NULL,
	"leaf_index" bigint NOT NULL,
	"tree_size" bigint NOT NULL,
	"audit_path" text NOT NULL,
	"batch_root" text NOT NULL,
	"batch_id" text NOT NULL,
	"chain_id" text NOT NULL,
	"height" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	"ingested_at_ms" bigint NOT NULL,
	CONSTRAINT "integrity_receipts_table_name_host_id_record_id_pk" PRIMARY KEY("table_name","host_id","record_id")
);
--> statement-breakpoint
CREATE TABLE "segments" (
	"host_id" text NOT NULL,
	"id" text NOT NULL,
	"camera_id" text NOT NULL,
	"start_ms" bigint NOT NULL,
	"end_ms" bigint NOT NULL,
	"uri" text NOT NULL,
	"sha256" text NOT NULL,
	CONSTRAINT "segments_host_id_id_pk" PRIMARY KEY("host_id","id")
);
--> statement-breakpoint
CREATE TABLE "track_features" (
	"host_id" text NOT NULL,
	"id" text NOT NULL,
	"track_id" text NOT NULL,
	"ts_ms" bigint NOT NULL,
	"model" text NOT NULL,
	"vector" text NOT NULL,
	CONSTRAINT "track_features_host_id_id_pk" PRIMARY KEY("host_id","id")
);
--> statement-breakpoint
CREATE TABLE "tracks" (
	"host_id" text NOT NULL,
	"id" text NOT NULL,
	"camera_id" text NOT NULL,
	"start_ms" bigint NOT NULL,
	"end_ms" bigint,
	"label" text NOT NULL,
	CONSTRAINT "tracks_host_id_id_pk" PRIMARY KEY("host_id","id")
);
--> statement-breakpoint
CREATE INDEX "alerts_camera_id_ts_ms_idx" ON "alerts" USING btree ("camera_id","ts_ms");--> statement-breakpoint
CREATE INDEX "alerts_track_id_idx" ON "alerts" USING btree ("track_id");--> statement-breakpoint
CREATE INDEX "detections_camera_id_ts_ms_idx" ON "detections" USING btree ("camera_id","ts_ms");--> statement-breakpoint
CREATE INDEX "detections_segment_id_idx" ON "detections" USING btree ("segment_id");--> statement-breakpoint
CREATE INDEX "enf_fingerprints_recording_id_idx" ON "enf_fingerprints" USING btree ("recording_id");--> statement-breakpoint
CREATE INDEX "integrity_receipts_batch_digest_idx" ON "integrity_receipts" USING btree ("batch_digest");--> statement-breakpoint
CREATE INDEX "segments_camera_id_start_ms_idx" ON "segments" USING btree ("camera_id","start_ms");--> statement-breakpoint
CREATE INDEX "track_features_track_id_ts_ms_idx" ON "track_features" USING btree ("track_id","ts_ms");--> statement-breakpoint
CREATE INDEX "tracks_camera_id_start_ms_idx" ON "tracks" USING btree ("camera_id","start_ms");