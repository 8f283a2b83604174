ALTER TABLE `integrity_batches` ADD `call_root` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `integrity_batches` ADD `leaves` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `integrity_proofs` ADD `leaf_index` integer DEFAULT 0 NOT NULL;