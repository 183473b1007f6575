import Foundation
import WenwexSQL

/// What a column's type becomes in the schema: a scalar, an enum or `Unsupported("…")`, plus a
/// native type attribute when the database type is not the one Prisma would create anyway.
struct PulledType {
    /// `String`, `Role`, `Unsupported`.
    var base: String
    var scalar: ScalarType?
    /// The native type without the datasource prefix: `VarChar(255)`, `Timestamptz(3)`.
    var native: String?
    /// The database type of an `Unsupported` field.
    var unsupported: String?
    var isList: Bool

    /// The field type as written: `String?`, `Int[]`, `Unsupported("point")`.
    func text(optional: Bool) -> String {
        var text = base
        if let unsupported { text = "Unsupported(\(PullText.quoted(unsupported)))" }
        if isList { return text + "[]" }
        return optional ? text + "?" : text
    }
}

/// Maps column types back to Prisma types: the inverse of `ColumnTypes`.
///
/// On PostgreSQL a type that differs from the scalar's default (`TEXT`, `INTEGER`,
/// `TIMESTAMP(3)`, `DECIMAL(65,30)`, …) keeps its exact spelling through `@db.X(args)`; a type
/// Prisma has no native type for becomes `Unsupported("…")`. SQLite has no native types: a
/// column is the scalar of its family, as in `prisma db pull`.
enum PullTypes {
    static func map(
        _ type: SQLColumnType,
        dialect: SQLDialect,
        enumName: (String) -> String?
    ) -> PulledType {
        let text = elementText(type)
        let unsupported = PulledType(base: "Unsupported", unsupported: text, isList: type.isArray)
        switch type.family {
        case .unsupported:
            return unsupported
        case .enum(let name):
            guard let prismaName = enumName(name) else { return unsupported }
            return PulledType(base: prismaName, isList: type.isArray)
        default:
            guard let scalar = scalar(of: type.family) else { return unsupported }
            var mapped = PulledType(base: scalar.rawValue, scalar: scalar, isList: type.isArray)
            guard dialect == .postgres, text != ColumnTypes.defaultType(of: scalar, .postgres) else { return mapped }
            guard let native = postgresNative(text, scalar: scalar) else { return unsupported }
            mapped.native = native
            return mapped
        }
    }

    /// The Prisma scalar that stores a family's values.
    static func scalar(of family: SQLColumnType.Family) -> ScalarType? {
        switch family {
        case .string: .string
        case .int: .int
        case .bigInt: .bigInt
        case .float: .float
        case .decimal: .decimal
        case .boolean: .boolean
        case .dateTime: .dateTime
        case .json: .json
        case .bytes: .bytes
        case .enum, .unsupported: nil
        }
    }

    /// The type text of one element: `TEXT[]` → `TEXT`.
    private static func elementText(_ type: SQLColumnType) -> String {
        guard type.isArray else { return type.text }
        var text = Substring(type.text)
        while text.hasSuffix("[]") { text = text.dropLast(2) }
        return String(text)
    }

    /// `VARCHAR(255)` → `VarChar(255)`, `DECIMAL(10,2)` → `Decimal(10, 2)`; `nil` when Prisma
    /// has no native type of that name for `scalar`, or the arguments do not fit it.
    private static func postgresNative(_ text: String, scalar: ScalarType) -> String? {
        var name = text
        var arguments: [String] = []
        if let open = text.firstIndex(of: "("), text.hasSuffix(")") {
            name = String(text[..<open])
            arguments = text[text.index(after: open)..<text.index(before: text.endIndex)]
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let prismaName = nativeNames[name.trimmingCharacters(in: .whitespaces).uppercased()],
            let native = NativeTypeCatalog.postgresql[prismaName], native.scalar == scalar,
            arguments.count <= native.maximumArguments, arguments.allSatisfy({ Int($0) != nil })
        else { return nil }
        return arguments.isEmpty ? prismaName : "\(prismaName)(\(arguments.joined(separator: ", ")))"
    }

    /// SQL type names → Prisma's native type names (`DOUBLE PRECISION` → `DoublePrecision`).
    private static let nativeNames: [String: String] = Dictionary(
        ColumnTypes.postgresNames.map { ($0.value, $0.key) },
        uniquingKeysWith: { first, _ in first }
    )
}
