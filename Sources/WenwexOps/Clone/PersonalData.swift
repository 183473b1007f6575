import WenwexSQL

/// Recognises columns that probably hold personal data, by name and type, so a clone without a
/// rule for them stops instead of copying them to staging.
///
/// Deliberately eager: a false alarm costs one `keep` in the configuration, a miss leaks a
/// person's data into a less protected environment.
enum PersonalData {
    /// Name fragments (compared without `_` and case) that mark personal data.
    static let fragments = [
        "email", "mail", "phone", "mobile", "firstname", "lastname", "fullname", "surname", "displayname",
        "address", "street", "zip", "postcode", "postalcode", "city", "birth", "dob", "ssn", "passport", "iban",
        "card", "password", "passwd", "secret", "token", "apikey", "salt", "hash", "ip", "ipaddress", "lat", "lng",
        "longitude", "latitude", "location", "bio", "note", "message",
    ]

    /// Why `column` looks personal (`name contains 'email'`), or `nil`.
    static func reason(_ column: SQLColumn) -> String? {
        let name = column.name.lowercased().replacingOccurrences(of: "_", with: "")
        let type = column.type.text.uppercased()
        if type.hasPrefix("INET") || type.hasPrefix("CIDR") { return "its type is \(column.type.text)" }
        if name == "name" || name.hasSuffix("name") && !["filename", "tablename", "hostname"].contains(name) {
            return "its name says name"
        }
        // `last_ip`, `signupIp`, `ip_address`; not `relationship` or `zip`.
        let original = column.name
        if name == "ip" || original.hasSuffix("_ip") || original.hasSuffix("Ip") || original.hasSuffix("IP")
            || name.hasPrefix("ipaddr") || name.hasSuffix("ipaddress")
        {
            return "its name says IP address"
        }
        for fragment in fragments where fragment.count > 3 && name.contains(fragment) {
            return "its name contains '\(fragment)'"
        }
        // Short fragments (`bio`, `dob`, `zip`, `ssn`) only as a whole word of the name, so
        // `biography_id` and `bio` match but `zipper` and `lattice` do not.
        let words = Set(Self.words(original))
        for fragment in fragments where fragment.count <= 3 && words.contains(fragment) {
            return "its name says '\(fragment)'"
        }
        return nil
    }

    /// `shippingZip` → `shipping`, `zip`; `user_bio` → `user`, `bio`; lower-cased.
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for character in name {
            if character == "_" || character == "-" || character == " " {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousWasLower = false
                continue
            }
            if character.isUppercase, previousWasLower, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current += character.lowercased()
            previousWasLower = character.isLowercase || character.isNumber
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
