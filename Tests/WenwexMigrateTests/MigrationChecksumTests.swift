import Foundation
import Testing
import WenwexMigrate

@Suite("Migration checksums")
struct MigrationChecksumTests {
    @Test func isTheSHA256OfTheFileBytesInLowerCaseHex() {
        // Both values from `printf … | sha256sum`.
        #expect(
            MigrationChecksum.of("CREATE TABLE \"a\" ();\n")
                == "3011c45aed17d13f16ef75ff57c11694b230cb84e05f0236d69827085448d7cc"
        )
        #expect(MigrationChecksum.of(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
