@testable import SparkLedgerStorage
import Testing

@Suite struct InsertionOrderedSetTests {
    @Test func listsEachMemberOnceInTheOrderFirstInserted() {
        var set = InsertionOrderedSet<String>()
        #expect(set.isEmpty)
        for name in ["growth", "risk", "growth", "ads", "risk", "search", "ads"] { set.insert(name) }
        #expect(set.ordered == ["growth", "risk", "ads", "search"])
        #expect(!set.isEmpty)
    }
}
