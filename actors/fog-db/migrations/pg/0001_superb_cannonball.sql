CREATE TABLE "integrity_proofs" (
	"batch_digest" text NOT NULL,
	"batch_id" text NOT NULL,
	"batch_root" text NOT NULL,
	"chain_id" text NOT NULL,
	"height" bigint NOT NULL,
	"tx_hash" text NOT NULL,
	"tree_size" bigint NOT NULL,
	"nodes" text NOT NULL,
	CONSTRAINT "integrity_proofs_batch_digest_batch_id_pk" PRIMARY KEY("batch_digest","batch_id")
);
--> statement-breakpoint
ALTER TABLE "integrity_receipts" DROP COLUMN "leaf_hash";--> statement-breakpoint
ALTER TABLE "integrity_receipts" DROP COLUMN "tree_size";--> statement-breakpoint
ALTER TABLE "integrity_receipts" DROP COLUMN "audit_path";--> statement-breakpoint
ALTER TABLE "integrity_receipts" DROP COLUMN "batch_root";--> statement-breakpoint
ALTER TABLE "integrity_receipts" DROP COLUMN "chain_id";--> statement-breakpoint
ALTER TABLE "integrity_receipts" DROP COLUMN "height";--> statement-breakpoint
ALTER TABLE "integrity_receipts" DROP COLUMN "tx_hash";