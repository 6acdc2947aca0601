extension String {
    /// `==` that turns away a string of another UTF-8 length first (a count that native strings
    /// store). A failed `==` goes through Swift's general string comparison, ~70 instructions
    /// (callgrind), and looking a name up among JSON keys or a type's names mostly fails.
    func equalsByLengthFirst(_ other: String) -> Bool {
        utf8.count == other.utf8.count && self == other
    }
}
