// swift-tools-version: 6.2
//
// Wenwex: the environment-safe data platform for Swift servers.
// The module order below is the dependency order of ../shared/DESIGN.md, with one change: the
// SQL schema model lives in WenwexSQL and the Prisma schema is lowered into it, so WenwexSQL
// comes before WenwexSchema, and WenwexMigrate follows both. A module depends only on modules
// listed before it. WenwexHummingbird holds what any Hummingbird app reuses; WenwexServer (the
// marketplace) and examples/notes are apps built on it. Modules arrive with the issue that gives them real behaviour: WenwexOps has
// the seeder, the dev database, backups and sanitized clones; WenwexAccess the roles and grants,
// personal logins and the audit log; the edge is still to come.

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "wenwex",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wenwex", targets: ["wenwex"]),
        .library(name: "WenwexConfig", targets: ["WenwexConfig"]),
        .library(name: "WenwexSQL", targets: ["WenwexSQL"]),
        .library(name: "WenwexSchema", targets: ["WenwexSchema"]),
        .library(name: "WenwexMigrate", targets: ["WenwexMigrate"]),
        .library(name: "WenwexOps", targets: ["WenwexOps"]),
        .library(name: "WenwexAccess", targets: ["WenwexAccess"]),
        .library(name: "WenwexRouting", targets: ["WenwexRouting"]),
        .library(name: "WenwexStorage", targets: ["WenwexStorage"]),
        .library(name: "WenwexEdge", targets: ["WenwexEdge"]),
        .library(name: "WenwexHummingbird", targets: ["WenwexHummingbird"]),
        .library(name: "WenwexServer", targets: ["WenwexServer"]),
        .library(name: "WenwexTestSupport", targets: ["WenwexTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // `swift package generate-documentation --target WenwexHummingbird` (DocC catalogs and
        // the compiled snippets in Snippets/).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "WenwexConfig",
            dependencies: [
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WenwexSQL",
            dependencies: [
                "WenwexConfig",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WenwexSchema",
            dependencies: ["WenwexSQL"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WenwexMigrate",
            dependencies: [
                "WenwexConfig",
                "WenwexSQL",
                "WenwexSchema",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WenwexStorage",
            dependencies: [
                "WenwexConfig",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WenwexOps",
            dependencies: [
                "WenwexConfig", "WenwexSQL", "WenwexSchema", "WenwexMigrate", "WenwexStorage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WenwexAccess",
            dependencies: ["WenwexConfig", "WenwexSQL", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WenwexRouting",
            dependencies: [
                "WenwexConfig",
                "WenwexSQL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WenwexEdge",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WenwexHummingbird",
            dependencies: [
                "WenwexAccess",
                "WenwexConfig",
                "WenwexSQL",
                "WenwexMigrate",
                "WenwexRouting",
                "WenwexStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WenwexServer",
            dependencies: [
                "WenwexAccess",
                "WenwexConfig",
                "WenwexSQL",
                "WenwexSchema",
                "WenwexMigrate",
                "WenwexOps",
                "WenwexRouting",
                "WenwexHummingbird",
                "WenwexStorage",
                "WenwexEdge",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "wenwex",
            dependencies: [
                "WenwexAccess",
                "WenwexConfig",
                "WenwexEdge",
                "WenwexMigrate",
                "WenwexOps",
                "WenwexSchema",
                "WenwexServer",
                "WenwexSQL",
                "WenwexRouting",
                "WenwexHummingbird",
                "WenwexStorage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "NotesExample",
            dependencies: [
                "WenwexHummingbird",
                "WenwexRouting",
                "WenwexSQL",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "examples/notes/Sources/NotesExample",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WenwexTestSupport",
            dependencies: ["WenwexConfig"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "WenwexBench",
            dependencies: [
                "WenwexConfig",
                "WenwexMigrate",
                "WenwexSQL",
                "WenwexSchema",
                "WenwexRouting",
                "WenwexOps",
                "WenwexServer",
                "WenwexEdge",
                "WenwexTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Benchmarks/WenwexBench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WenwexConfigTests",
            dependencies: ["WenwexConfig"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WenwexSchemaTests",
            dependencies: ["WenwexSchema", "WenwexSQL", "WenwexTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WenwexSQLTests",
            dependencies: ["WenwexConfig", "WenwexSQL", "WenwexTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WenwexMigrateTests",
            dependencies: ["WenwexConfig", "WenwexMigrate", "WenwexSQL", "WenwexSchema", "WenwexTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WenwexAccessTests",
            dependencies: ["WenwexAccess", "WenwexConfig", "WenwexSQL", "WenwexTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WenwexOpsTests",
            dependencies: [
                "WenwexOps", "WenwexConfig", "WenwexSQL", "WenwexSchema", "WenwexMigrate", "WenwexStorage",
                "WenwexTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WenwexRoutingTests",
            dependencies: [
                "WenwexConfig", "WenwexSQL", "WenwexRouting", "WenwexTestSupport",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WenwexStorageTests",
            dependencies: [
                "WenwexStorage", "WenwexTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WenwexEdgeTests",
            dependencies: [
                "WenwexEdge", "WenwexStorage", "WenwexTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WenwexServerTests",
            dependencies: [
                "WenwexAccess", "WenwexConfig", "WenwexSQL", "WenwexMigrate", "WenwexRouting", "WenwexServer",
                "WenwexHummingbird",
                "WenwexStorage",
                "WenwexEdge",
                "WenwexTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WenwexCLITests",
            dependencies: [
                "wenwex", "NotesExample", "WenwexConfig", "WenwexSQL", "WenwexTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
