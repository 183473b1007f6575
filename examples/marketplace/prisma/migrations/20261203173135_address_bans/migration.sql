-- CreateTable
CREATE TABLE "address_bans" (
    "address" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "address_bans_pkey" PRIMARY KEY ("address")
);
