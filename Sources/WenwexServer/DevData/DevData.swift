import Foundation
import WenwexOps
public import WenwexSQL

/// Makes freshly seeded marketplace rows usable by a person trying the dev server.
///
/// The schema-driven seeder knows types, not meaning: its password hashes verify nothing and
/// its image rows name files that do not exist. `wenwex up` calls this right after seeding an
/// empty database, so every seeded account signs in with `password`, and every seeded image is
/// a real (tiny, single-colour) PNG in the image store.
public enum DevData {
    /// The password of every seeded account.
    public static let password = Seeder.devPassword

    public struct Report: Sendable, Equatable {
        public var accounts: Int
        public var images: Int
        /// An account to try: the first admin, else the first user.
        public var sampleEmail: String?
    }

    public static func prepareSeededRows(_ session: any SQLSession, settings: ServerSettings) async throws -> Report {
        let hash = try await PasswordHasher(cost: settings.bcryptCost).hash(password)
        let accounts = try await session.query("UPDATE users SET password_hash = $1 RETURNING id", [.text(hash)]).count
        let store = ImageStore(objects: try settings.imageObjects())
        let rows = try await session.query("SELECT id FROM product_images ORDER BY id")
        for row in rows {
            guard let id = row["id"].integer else { continue }
            let png = SolidColorPNG.make(
                red: UInt8(truncatingIfNeeded: id &* 67),
                green: UInt8(truncatingIfNeeded: id &* 151),
                blue: UInt8(truncatingIfNeeded: id &* 223)
            )
            let key = try await store.put(png, fileExtension: "png")
            try await session.execute(
                "UPDATE product_images SET key = $1, content_type = 'image/png', size = $2 WHERE id = $3",
                [.text(key), .integer(png.count), .integer(id)]
            )
        }
        let sample = try await session.query(
            "SELECT email FROM users WHERE banned = $1 ORDER BY CASE WHEN role = 'ADMIN' THEN 0 ELSE 1 END, id LIMIT 1",
            [.bool(false)]
        ).first?["email"].text
        return Report(accounts: accounts, images: rows.count, sampleEmail: sample)
    }
}
