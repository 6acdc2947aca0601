/// Merging into an array sorted by a key: the writer's in-memory indexes take each transaction's
/// additions this way.
enum SortedMerge {
    /// Merges `added` (sorted by `key`) into `sorted` in place, from the back: the array grows
    /// once, by `added.count`, instead of being copied whole into a new one. On equal keys the
    /// element already there comes first.
    static func merge<Element, Key: Comparable>(_ added: [Element], into sorted: inout [Element], by key: (Element) -> Key) {
        guard !added.isEmpty else { return }
        var i = sorted.count - 1
        var j = added.count - 1
        sorted.append(contentsOf: added)  // room; overwritten below
        var k = sorted.count - 1
        while j >= 0 {
            if i >= 0 && key(sorted[i]) > key(added[j]) {
                sorted[k] = sorted[i]
                i -= 1
            } else {
                sorted[k] = added[j]
                j -= 1
            }
            k -= 1
        }
    }
}
