/// Searches that look at array elements where they are instead of copying them out.
///
/// `first(where:)` and `filter` hand every element they pass over to the predicate as a copy;
/// syntax nodes are large structs (a field with its ranges, type and attributes is hundreds of
/// bytes and a dozen references), and copying every attribute of every field only to compare
/// its name was the largest single cost of validating and lowering a big schema.
extension Array {
    /// The first element satisfying `predicate`; only the match is copied.
    func firstInPlace(where predicate: (borrowing Element) -> Bool) -> Element? {
        withUnsafeBufferPointer { buffer in
            for index in buffer.indices where predicate(buffer[index]) { return buffer[index] }
            return nil
        }
    }

    /// The elements satisfying `predicate`; only the matches are copied.
    func filterInPlace(_ isIncluded: (borrowing Element) -> Bool) -> [Element] {
        withUnsafeBufferPointer { buffer in
            var result: [Element] = []
            for index in buffer.indices where isIncluded(buffer[index]) { result.append(buffer[index]) }
            return result
        }
    }

    /// Whether an element satisfies `predicate`; nothing is copied.
    func containsInPlace(where predicate: (borrowing Element) -> Bool) -> Bool {
        withUnsafeBufferPointer { buffer in
            buffer.indices.contains { predicate(buffer[$0]) }
        }
    }
}
