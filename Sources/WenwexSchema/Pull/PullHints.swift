/// What an existing schema already decided about the tables a pull finds, so pulling again
/// keeps it (Prisma's re-introspection): model, field, enum and relation names, the defaults
/// only the client computes (`uuid()`, `cuid()`, `@updatedAt`), and `///` documentation.
///
/// Everything is keyed by database names, so a model renamed with `@@map` keeps its name as
/// long as its table does.
struct PullHints {
    /// The fields of one relation, found by the referencing table and its foreign key columns.
    struct Relation {
        /// The field holding the foreign key.
        var field: String
        /// The field on the referenced model, when the schema had one.
        var backField: String?
        /// `@relation("…")`, when the schema named the relation.
        var name: String?
    }

    /// The list fields of an implicit many-to-many relation, by its join table.
    struct ManyToMany {
        /// The field on the model behind column `A`, and on the model behind `B`.
        var fieldOnA: String
        var fieldOnB: String
    }

    /// A foreign key: the referencing table and its columns.
    struct RelationKey: Hashable {
        var table: TableKey
        var columns: [String]
    }

    var modelNames: [TableKey: String] = [:]
    /// Where the existing file declared each model and enum, so they keep their places.
    var modelOrder: [TableKey: Int] = [:]
    var enumNames: [TableKey: String] = [:]
    var enumOrder: [TableKey: Int] = [:]
    /// Enum value names by enum and database value.
    var enumValueNames: [TableKey: [String: String]] = [:]
    /// Field names by table and column.
    var fieldNames: [TableKey: [String: String]] = [:]
    /// `@default(uuid())`, `@updatedAt`, … by table and column, used when the database has no
    /// default of its own for the column.
    var applicationDefaults: [TableKey: [String: String]] = [:]
    var modelDocumentation: [TableKey: [String]] = [:]
    var fieldDocumentation: [TableKey: [String: [String]]] = [:]
    var relations: [RelationKey: Relation] = [:]
    var manyToMany: [TableKey: ManyToMany] = [:]
}
