/// One parsed `.prisma` file: its declarations and free-standing comments, in source order.
public struct SchemaFile: Sendable, Hashable {
    public enum Item: Sendable, Hashable {
        case block(Block)
        case comment(Comment)
        case blankLine
    }

    public var path: String
    public var items: [Item]

    public init(path: String, items: [Item]) {
        self.path = path
        self.items = items
    }

    public var blocks: [Block] {
        items.compactMap { if case .block(let block) = $0 { block } else { nil } }
    }
}

/// A whole schema: every file of a single-file or folder schema, read as one.
///
/// Prisma lets a folder of `.prisma` files declare one schema; models in one file refer to
/// models in another, so validation always looks at all files together.
public struct PrismaSchema: Sendable, Hashable {
    public var files: [SchemaFile] {
        didSet { blocks = files.flatMap(\.blocks) }
    }

    /// Every block of every file, files in order; kept with `files`, since every rule walks it.
    public private(set) var blocks: [Block]

    public init(files: [SchemaFile]) {
        self.files = files
        blocks = files.flatMap(\.blocks)
    }

    public var models: [Block] { blocks.filter { $0.kind == .model } }
    public var views: [Block] { blocks.filter { $0.kind == .view } }
    public var enums: [Block] { blocks.filter { $0.kind == .enum } }
    public var compositeTypes: [Block] { blocks.filter { $0.kind == .type } }
    public var generators: [Block] { blocks.filter { $0.kind == .generator } }
    public var datasources: [Block] { blocks.filter { $0.kind == .datasource } }

    /// Every generator's `previewFeatures` (a single string counts as a list of one).
    public var previewFeatures: Set<String> {
        Set(generators.flatMap { $0.property("previewFeatures")?.value.elements ?? [] }.compactMap(\.stringValue))
    }

    /// The model (or view) named `name`.
    public func model(_ name: String) -> Block? {
        blocks.first { ($0.kind == .model || $0.kind == .view) && $0.name.name == name }
    }

    public func enumeration(_ name: String) -> Block? {
        blocks.first { $0.kind == .enum && $0.name.name == name }
    }
}
