ALTER TABLE "integrity_batches" ADD COLUMN "call_root" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "integrity_batches" ADD COLUMN "leaves" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "integrity_proofs" ADD COLUMN "leaf_index" bigint DEFAULT 0 NOT NULL;