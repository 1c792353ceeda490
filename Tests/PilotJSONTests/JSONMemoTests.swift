import PilotJSON
import Testing

@Suite struct JSONMemoTests {
    struct Failure: Error {}

    @Test func aValueIsMadeOnceAndKept() {
        let memo = JSONMemo()
        var made = 0
        for _ in 0..<3 {
            #expect(memo.value { made += 1; return "decoded" } == "decoded")
        }
        #expect(made == 1)
    }

    @Test func askingForAnotherTypeMakesThatOne() {
        let memo = JSONMemo()
        #expect(memo.value { 1 } == 1)
        #expect(memo.value { "one" } == "one")
        #expect(memo.value { "two" } == "one")
    }

    @Test func aMakeThatThrowsKeepsNothing() throws {
        let memo = JSONMemo()
        #expect(throws: Failure.self) { try memo.value { () throws -> Int in throw Failure() } }
        #expect(memo.value { 2 } == 2)
    }

    /// Values that carry a memo compare by their JSON alone.
    @Test func memosCompareEqual() {
        #expect(JSONMemo() == JSONMemo())
    }
}
