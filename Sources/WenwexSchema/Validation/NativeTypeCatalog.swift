/// The native database types (`@db.X`) each provider has, and the scalar type each one stores.
///
/// PostgreSQL's list follows Prisma's PostgreSQL connector; SQLite has none (its columns take
/// their affinity from Prisma's scalar types), so any `@db.X` on SQLite is an error.
enum NativeTypeCatalog {
    struct NativeType {
        var scalar: ScalarType
        /// How many numeric arguments it takes (all optional), e.g. 1 for `VarChar(255)`.
        var maximumArguments: Int
    }

    static func types(for provider: Provider) -> [String: NativeType] {
        switch provider {
        case .postgresql: postgresql
        case .sqlite: [:]
        }
    }

    static let postgresql: [String: NativeType] = [
        "Text": NativeType(scalar: .string, maximumArguments: 0),
        "Char": NativeType(scalar: .string, maximumArguments: 1),
        "VarChar": NativeType(scalar: .string, maximumArguments: 1),
        "Bit": NativeType(scalar: .string, maximumArguments: 1),
        "VarBit": NativeType(scalar: .string, maximumArguments: 1),
        "Uuid": NativeType(scalar: .string, maximumArguments: 0),
        "Xml": NativeType(scalar: .string, maximumArguments: 0),
        "Inet": NativeType(scalar: .string, maximumArguments: 0),
        "Citext": NativeType(scalar: .string, maximumArguments: 0),
        "Boolean": NativeType(scalar: .boolean, maximumArguments: 0),
        "Integer": NativeType(scalar: .int, maximumArguments: 0),
        "SmallInt": NativeType(scalar: .int, maximumArguments: 0),
        "Oid": NativeType(scalar: .int, maximumArguments: 0),
        "BigInt": NativeType(scalar: .bigInt, maximumArguments: 0),
        "DoublePrecision": NativeType(scalar: .float, maximumArguments: 0),
        "Real": NativeType(scalar: .float, maximumArguments: 0),
        "Decimal": NativeType(scalar: .decimal, maximumArguments: 2),
        "Money": NativeType(scalar: .decimal, maximumArguments: 0),
        "Timestamp": NativeType(scalar: .dateTime, maximumArguments: 1),
        "Timestamptz": NativeType(scalar: .dateTime, maximumArguments: 1),
        "Date": NativeType(scalar: .dateTime, maximumArguments: 0),
        "Time": NativeType(scalar: .dateTime, maximumArguments: 1),
        "Timetz": NativeType(scalar: .dateTime, maximumArguments: 1),
        "Json": NativeType(scalar: .json, maximumArguments: 0),
        "JsonB": NativeType(scalar: .json, maximumArguments: 0),
        "ByteA": NativeType(scalar: .bytes, maximumArguments: 0),
    ]
}
