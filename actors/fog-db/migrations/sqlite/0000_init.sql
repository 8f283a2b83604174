CREATE TABLE `alerts` (
	`host_id` text NOT NULL,
	`id` text NOT NULL,
	`camera_id` text NOT NULL,
	`track_id` text,
	`ts_ms` integer NOT NULL,
	`kind` text NOT NULL,
	`severity` text NOT NULL,
	`decision` text,
	PRIMARY KEY(`host_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `alerts_camera_id_ts_ms_idx` ON `alerts` (`camera_id`,`ts_ms`);--> statement-breakpoint
CREATE INDEX `alerts_track_id_idx` ON `alerts` (`track_id`);--> statement-breakpoint
CREATE TABLE `audit_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ran_at_ms` integer NOT NULL,
	`scope` text NOT NULL,
	`checked` integer NOT NULL,
	`intact` integer NOT NULL,
	`tampered` integer NOT NULL,
	`missing` integer NOT NULL,
	`unrecorded` integer NOT NULL,
	`report` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `cameras` (
	`host_id` text NOT NULL,
	`id` text NOT NULL,
	`zone` text NOT NULL,
	`label` text NOT NULL,
	`latitude` real,
	`longitude` real,
	`installed_at_ms` integer,
	PRIMARY KEY(`host_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `detections` (
	`host_id` text NOT NULL,
	`id` text NOT NULL,
	`camera_id` text NOT NULL,
	`segment_id` text,
	`ts_ms` integer NOT NULL,
	`label` text NOT NULL,
	`confidence` real NOT NULL,
	`bbox` text NOT NULL,
	PRIMARY KEY(`host_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `detections_camera_id_ts_ms_idx` ON `detections` (`camera_id`,`ts_ms`);--> statement-breakpoint
CREATE INDEX `detections_segment_id_idx` ON `detections` (`segment_id`);--> statement-breakpoint
CREATE TABLE `enf_fingerprints` (
	`host_id` text NOT NULL,
	`id` text NOT NULL,
	`recording_id` text NOT NULL,
	`camera_id` text,
	`captured_at_ms` integer,
	`fingerprint_sha256` text NOT NULL,
	`ledger_key` text NOT NULL,
	PRIMARY KEY(`host_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `enf_fingerprints_recording_id_idx` ON `enf_fingerprints` (`recording_id`);--> statement-breakpoint
CREATE TABLE `integrity_batches` (
	`digest` text PRIMARY KEY NOT NULL,
	`host_id` text NOT NULL,
	`host_public_key` text NOT NULL,
	`signature` text NOT NULL,
	`size` integer NOT NULL,
	`ingested_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `integrity_receipts` (
	`table_name` text NOT NULL,
	`host_id` text NOT NULL,
	`record_id` text NOT NULL,
	`record_hash` text NOT NULL,
	`batch_digest` text NOT NULL,
	`leaf_hash` text NOT NULL,
	`leaf_index` integer NOT NULL,
	`tree_size` integer NOT NULL,
	`audit_path` text NOT NULL,
	`batch_root` text NOT NULL,
	`batch_id` text NOT NULL,
	`chain_id` text NOT NULL,
	`height` integer NOT NULL,
	`tx_hash` text NOT NULL,
	`ingested_at_ms` integer NOT NULL,
	PRIMARY KEY(`table_name`, `host_id`, `record_id`)
);
--> statement-breakpoint
CREATE INDEX `integrity_receipts_batch_digest_idx` ON `integrity_receipts` (`batch_digest`);--> statement-breakpoint
CREATE TABLE `segments` (
	`host_id` text NOT NULL,
	`id` text NOT NULL,
	`camera_id` text NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`uri` text NOT NULL,
	`sha256` text NOT NULL,
	PRIMARY KEY(`host_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `segments_camera_id_start_ms_idx` ON `segments` (`camera_id`,`start_ms`);--> statement-breakpoint
CREATE TABLE `track_features` (
	`host_id` text NOT NULL,
	`id` text NOT NULL,
	`track_id` text NOT NULL,
	`ts_ms` integer NOT NULL,
	`model` text NOT NULL,
	`vector` text NOT NULL,
	PRIMARY KEY(`host_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `track_features_track_id_ts_ms_idx` ON `track_features` (`track_id`,`ts_ms`);--> statement-breakpoint
CREATE TABLE `tracks` (
	`host_id` text NOT NULL,
	`id` text NOT NULL,
	`camera_id` text NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer,
	`label` text NOT NULL,
	PRIMARY KEY(`host_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `tracks_camera_id_start_ms_idx` ON `tracks` (`camera_id`,`start_ms`);