import Foundation
import PilotJSON
import PilotStore
import Testing

@Suite struct ParsedJSONCacheTests {
    static func text(_ index: Int) -> String {
        #"{"day":\#(index),"pad":"\#(String(repeating: "x", count: 80))"}"#
    }

    @Test func aTextReadAgainIsNotParsedAgain() throws {
        let cache = ParsedJSONCache(budgetBytes: 1 << 20)
        let first = try cache.value(of: Self.text(1))
        let second = try cache.value(of: Self.text(1))
        #expect(first == second)
        #expect(second["day"] == 1)
        #expect(cache.counts == (hits: 1, misses: 1))
    }

    /// What a stage decodes from a row read again is decoded once: the cache hands out
    /// the same memo with the same tree.
    @Test func aTextReadAgainComesWithTheSameMemo() throws {
        let cache = ParsedJSONCache(budgetBytes: 1 << 20)
        let first = try cache.parsed(Self.text(1))
        #expect(first.memo.value { 1 } == 1)
        let again = try cache.parsed(Self.text(1))
        #expect(again.memo === first.memo)
        #expect(again.memo.value { 2 } == 1)
        #expect(try cache.parsed(Self.text(2)).memo !== first.memo)

        cache.setBudget(bytes: 0)
        #expect(try cache.parsed(Self.text(1)).memo !== cache.parsed(Self.text(1)).memo, "nothing kept, nothing shared")
    }

    /// "é" written as one scalar and as "e" with a combining accent: `String` calls the two
    /// texts equal, but they are different JSON, and each must read back as its own bytes.
    @Test func textsThatDifferOnlyInNormalisationAreKeptApart() throws {
        let cache = ParsedJSONCache(budgetBytes: 1 << 20)
        let composed = "{\"name\":\"Caf\u{E9}\"}"
        let decomposed = "{\"name\":\"Cafe\u{301}\"}"
        #expect(composed == decomposed, "the premise: Swift compares strings by canonical equivalence")
        _ = try cache.value(of: composed)
        let read = try cache.value(of: decomposed)
        #expect(Array((read["name"]?.string ?? "").utf8) == Array("Cafe\u{301}".utf8))
        #expect(cache.counts == (hits: 0, misses: 2))
        #expect(try Array((cache.value(of: composed)["name"]?.string ?? "").utf8) == Array("Caf\u{E9}".utf8))
        #expect(cache.counts == (hits: 1, misses: 2))
    }

    /// A text with non-ASCII characters is found again by its bytes, as an ASCII one is.
    @Test func aNonASCIITextReadAgainIsAHit() throws {
        let cache = ParsedJSONCache(budgetBytes: 1 << 20)
        let text = "{\"reason\":\"p95 \u{2265} 250 ms, \u{2212}1.5 points\",\"pad\":\"\(String(repeating: "\u{2014}", count: 40))\"}"
        let first = try cache.value(of: text)
        let again = try cache.value(of: String(decoding: Array(text.utf8), as: UTF8.self))
        #expect(first == again)
        #expect(cache.counts == (hits: 1, misses: 1))
    }

    @Test func badJSONThrowsEveryTime() {
        let cache = ParsedJSONCache(budgetBytes: 1 << 20)
        for _ in 0..<2 { #expect(throws: JSONParseError.self) { try cache.value(of: "{") } }
        #expect(cache.counts.hits == 0)
    }

    /// About 100 bytes a text, 1,000 bytes of budget: the young generation turns over every
    /// five or so texts, and only the last two generations are kept.
    @Test func theBudgetBoundsWhatIsKeptAndWhatIsReadStays() throws {
        let cache = ParsedJSONCache(budgetBytes: 1_000)
        for index in 0..<40 {
            _ = try cache.value(of: Self.text(index))
            _ = try cache.value(of: Self.text(1_000))  // read every time, as a state is
        }
        let before = cache.counts
        _ = try cache.value(of: Self.text(0))
        #expect(cache.counts.misses == before.misses + 1, "the first text was dropped")
        _ = try cache.value(of: Self.text(1_000))
        #expect(cache.counts.hits == before.hits + 1, "the text read every time stayed")
        _ = try cache.value(of: Self.text(39))
        #expect(cache.counts.hits == before.hits + 2, "the last text is still there")
    }

    @Test func aZeroBudgetKeepsNothing() throws {
        let cache = ParsedJSONCache(budgetBytes: 1 << 20)
        cache.setBudget(bytes: 0)
        for _ in 0..<3 { _ = try cache.value(of: Self.text(1)) }
        #expect(cache.counts == (hits: 0, misses: 3))
    }

    /// The store's readers go through the shared cache for rows that never change, and
    /// past it for a pilot's state, which changes with every event.
    @Test(arguments: Backend.all) func storesKeepMetricsParsedButNotStates(backend: Backend) throws {
        let marker = UUID().uuidString
        let metrics: JSONValue = ["uptime_pct": 99.5, "marker": .string(marker)]
        let state: JSONValue = ["n": 1, "marker": .string(marker)]
        try withStore(backend) { store in
            try store.write { tx in
                var pilot = samplePilot("cached")
                pilot.state = state
                try tx.savePilot(pilot)
                try tx.upsertMetrics(MetricsEntry(threadID: "cached", day: 1, data: metrics, eventID: "m-\(marker)"))
            }
            var memos: [JSONMemo] = []
            for _ in 0..<2 {
                try store.read { reader throws in
                    let rows = try reader.metrics(threadID: "cached")
                    #expect(rows.map(\.data) == [metrics])
                    memos += rows.map(\.memo)
                    #expect(try reader.pilot("cached")?.state == state)
                }
            }
            #expect(memos.count == 2 && memos[0] === memos[1], "both reads of the row share its memo")
        }
        #expect(ParsedJSONCache.shared.holds(metrics.serialized()))
        #expect(!ParsedJSONCache.shared.holds(state.serialized()))
    }
}
