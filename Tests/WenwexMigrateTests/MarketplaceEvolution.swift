/// The marketplace schema as a team would evolve it, one version per migration. `PROVIDER`
/// becomes `postgresql` or `sqlite`; nothing here is specific to one of them.
enum MarketplaceEvolution {
    static let header = """
        datasource db {
          provider = "PROVIDER"
          url      = env("DATABASE_URL")
        }

        """

    static let versions: [(name: String, schema: String)] = [
        (
            "init",
            header + """
                model User {
                  id        Int       @id @default(autoincrement())
                  email     String    @unique
                  name      String?
                  createdAt DateTime  @default(now()) @map("created_at")
                  products  Product[]
                  comments  Comment[]

                  @@map("users")
                }

                model Product {
                  id         String    @id @default(uuid())
                  title      String
                  price      Decimal
                  stock      Int       @default(0)
                  legacyCode String?
                  sellerId   Int       @map("seller_id")
                  seller     User      @relation(fields: [sellerId], references: [id])
                  comments   Comment[]

                  @@map("products")
                }

                model Comment {
                  id        Int     @id @default(autoincrement())
                  body      String
                  authorId  Int
                  author    User    @relation(fields: [authorId], references: [id])
                  productId String
                  product   Product @relation(fields: [productId], references: [id])
                }
                """
        ),
        (
            "add_referral_code",
            header + """
                model User {
                  id           Int       @id @default(autoincrement())
                  email        String    @unique
                  name         String?
                  referralCode String?   @unique @map("referral_code")
                  referredById Int?      @map("referred_by_id")
                  referredBy   User?     @relation("UserReferrals", fields: [referredById], references: [id], onDelete: SetNull)
                  referrals    User[]    @relation("UserReferrals")
                  createdAt    DateTime  @default(now()) @map("created_at")
                  products     Product[]
                  comments     Comment[]

                  @@map("users")
                }

                model Product {
                  id         String    @id @default(uuid())
                  title      String
                  price      Decimal
                  stock      BigInt    @default(0)
                  legacyCode String?
                  sellerId   Int       @map("seller_id")
                  seller     User      @relation(fields: [sellerId], references: [id])
                  comments   Comment[]

                  @@index([title])
                  @@map("products")
                }

                model Comment {
                  id        Int     @id @default(autoincrement())
                  body      String
                  authorId  Int
                  author    User    @relation(fields: [authorId], references: [id])
                  productId String
                  product   Product @relation(fields: [productId], references: [id])
                }
                """
        ),
        (
            "orders_and_categories",
            header + """
                model User {
                  id           Int       @id @default(autoincrement())
                  email        String    @unique
                  name         String?   @default("anonymous")
                  referralCode String?   @unique @map("referral_code")
                  referredById Int?      @map("referred_by_id")
                  referredBy   User?     @relation("UserReferrals", fields: [referredById], references: [id], onDelete: SetNull)
                  referrals    User[]    @relation("UserReferrals")
                  createdAt    DateTime  @default(now()) @map("created_at")
                  products     Product[]
                  comments     Comment[]
                  orders       Order[]

                  @@map("users")
                }

                model Category {
                  id       Int       @id @default(autoincrement())
                  name     String    @unique
                  products Product[]
                }

                model Product {
                  id         String      @id @default(uuid())
                  title      String
                  price      Decimal
                  stock      BigInt      @default(0)
                  sellerId   Int         @map("seller_id")
                  seller     User        @relation(fields: [sellerId], references: [id])
                  comments   Comment[]
                  categories Category[]
                  items      OrderItem[]

                  @@index([title])
                  @@map("products")
                }

                model Order {
                  id       Int         @id @default(autoincrement())
                  buyerId  Int
                  buyer    User        @relation(fields: [buyerId], references: [id])
                  placedAt DateTime    @default(now())
                  items    OrderItem[]

                  @@index([buyerId, placedAt(sort: Desc)])
                }

                model OrderItem {
                  orderId   Int
                  productId String
                  order     Order   @relation(fields: [orderId], references: [id], onDelete: Cascade)
                  product   Product @relation(fields: [productId], references: [id])
                  quantity  Int     @default(1)

                  @@id([orderId, productId])
                  @@map("order_items")
                }

                model Comment {
                  id        Int     @id @default(autoincrement())
                  body      String
                  authorId  Int
                  author    User    @relation(fields: [authorId], references: [id], onDelete: Cascade)
                  productId String
                  product   Product @relation(fields: [productId], references: [id])
                }
                """
        ),
        (
            "drop_comments",
            header + """
                model User {
                  id           Int       @id @default(autoincrement())
                  email        String    @unique
                  name         String?   @default("anonymous")
                  referralCode String?   @unique @map("referral_code")
                  referredById Int?      @map("referred_by_id")
                  referredBy   User?     @relation("UserReferrals", fields: [referredById], references: [id], onDelete: SetNull)
                  referrals    User[]    @relation("UserReferrals")
                  createdAt    DateTime  @default(now()) @map("created_at")
                  products     Product[]
                  orders       Order[]

                  @@map("users")
                }

                model Category {
                  id       Int       @id @default(autoincrement())
                  name     String    @unique
                  products Product[]
                }

                model Product {
                  id          String      @id @default(uuid())
                  title       String
                  description String      @default("")
                  price       Decimal
                  stock       BigInt      @default(0)
                  sellerId    Int         @map("seller_id")
                  seller      User        @relation(fields: [sellerId], references: [id])
                  categories  Category[]
                  items       OrderItem[]

                  @@index([title(sort: Desc)])
                  @@map("products")
                }

                model Order {
                  id       Int         @id @default(autoincrement())
                  buyerId  Int
                  buyer    User        @relation(fields: [buyerId], references: [id])
                  placedAt DateTime    @default(now())
                  items    OrderItem[]

                  @@index([buyerId, placedAt(sort: Desc)])
                }

                model OrderItem {
                  orderId   Int
                  productId String
                  order     Order   @relation(fields: [orderId], references: [id], onDelete: Cascade)
                  product   Product @relation(fields: [productId], references: [id])
                  quantity  Int     @default(1)

                  @@id([orderId, productId])
                  @@map("order_items")
                }
                """
        ),
    ]
}
