extension ScalarType {
    /// The scalar type named `name`, as `init(rawValue:)`, but a length test rules out most
    /// names before any comparison: every field's type is looked up this way.
    init?(name: String) {
        let scalar: ScalarType? =
            switch name.utf8.count {
            case 3: name == "Int" ? .int : nil
            case 4: name == "Json" ? .json : nil
            case 5: name == "Float" ? .float : name == "Bytes" ? .bytes : nil
            case 6: name == "String" ? .string : name == "BigInt" ? .bigInt : nil
            case 7: name == "Decimal" ? .decimal : name == "Boolean" ? .boolean : nil
            case 8: name == "DateTime" ? .dateTime : nil
            default: nil
            }
        guard let scalar else { return nil }
        self = scalar
    }
}
