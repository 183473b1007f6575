import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A small reader for S3's XML answers: element text by name, and repeated groups
/// (`<Contents>` of a listing), which is all the S3 API's responses need.
final class S3XML: NSObject, XMLParserDelegate {
    /// Each `<group>` element's children, as name → text.
    private(set) var groups: [[String: String]] = []
    /// The last text of every element outside a group.
    private(set) var values: [String: String] = [:]
    private let group: String?
    private var current: [String: String]?
    private var text = ""

    init(_ data: Data, group: String? = nil) {
        self.group = group
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        parser.parse()
    }

    func parser(
        _ parser: XMLParser,
        didStartElement elementName: String,
        namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if elementName == group { current = [:] }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if elementName == group, let finished = current {
            groups.append(finished)
            current = nil
        } else if current != nil {
            current?[elementName] = text
        } else {
            values[elementName] = text
        }
        text = ""
    }
}
