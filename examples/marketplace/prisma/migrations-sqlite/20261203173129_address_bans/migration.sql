-- CreateTable
CREATE TABLE "address_bans" (
    "address" TEXT NOT NULL PRIMARY KEY,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
