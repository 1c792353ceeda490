import Crypto
import Foundation
import PilotDomain
import Testing

/// Charts are documents a redelivery must write again byte for byte, and the buyer's
/// page serves them as they are: their bytes are held to the SHA-256 digests kept in
/// `Fixtures/charts.sha256`, of charts drawn for seeded random series (days missing, out
/// of range, negative, flat, huge, tiny) of every fixture criterion over 1 to 45 days.
/// `PILOT_WRITE_GOLDEN=1` writes the digests of what the code draws now.
@Suite struct MetricChartBytesTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/charts.sha256")

    static func charts() -> [String] {
        var generator = SplitMix64(seed: 0x5EED_C4A7)
        let durations = [1, 2, 7, 14, 15, 16, 21, 30, 31, 45]
        var charts: [String] = []
        for index in 0..<120 {
            let criterion = Fixtures.criteria[index % Fixtures.criteria.count]
            let duration = durations[index % durations.count]
            // Drawn with `below` and `unit` only: the standard library's own random
            // algorithms may change between toolchains, and the series with them.
            let scale = [0.001, 0.5, 1, 37, 300, 12_345.678, 9e9][generator.below(7)]
            let flat = index % 11 == 3
            var values: [(day: Int, value: Double?)] = []
            for day in -1...(duration + 2) where generator.below(5) != 0 {
                let missing = generator.below(6) == 0
                let value = flat ? scale : (generator.unit() * 1.5 - 0.2) * scale
                values.append((day, missing ? nil : value))
            }
            for position in values.indices.reversed() { values.swapAt(position, generator.below(position + 1)) }
            let target = index % 13 == 5 ? 0 : criterion.target
            let name: String? = index % 7 == 2 ? "Tasks <done> & \"closed\" 'now'" : nil
            charts.append(MetricChart.svg(criterion: criterion, dailyValues: index % 17 == 9 ? [] : values,
                target: target, durationDays: duration, name: name))
        }
        return charts
    }

    @Test func chartsKeepTheirBytes() throws {
        let digests = Self.charts().map { SHA256.hash(data: Data($0.utf8)).map { String(format: "%02x", $0) }.joined() }
        if ProcessInfo.processInfo.environment["PILOT_WRITE_GOLDEN"] == "1" {
            try digests.map { $0 + "\n" }.joined().write(to: Self.golden, atomically: true, encoding: .utf8)
        }
        let kept = try String(contentsOf: Self.golden, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(kept.count == digests.count)
        for (index, (digest, expected)) in zip(digests, kept).enumerated() {
            #expect(digest == expected, "chart \(index) differs")
        }
    }
}

extension SplitMix64 {
    /// A double in 0..<1 from the top 53 bits.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
