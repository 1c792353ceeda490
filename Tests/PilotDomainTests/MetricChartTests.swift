import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PilotDomain
import Testing

/// The SVG charts: well-formed XML, a dashed target line, deterministic.
@Suite struct MetricChartTests {
    typealias F = MonitoringFixtures

    /// Element names and attributes, as an XML parser reads them.
    final class Reader: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var text = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:])
        {
            elements.append((name, attributes))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    func parse(_ svg: String) throws -> Reader {
        let parser = XMLParser(data: Data(svg.utf8))
        let reader = Reader()
        parser.delegate = reader
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        return reader
    }

    @Test func latencyChartIsWellFormedWithATargetLine() throws {
        let criterion = Fixtures.criteria[0]
        let values: [(day: Int, value: Double?)] = [(1, 250), (2, 280.5), (3, nil), (4, 310), (5, 240)]
        let svg = MetricChart.svg(criterion: criterion, dailyValues: values, target: 300, durationDays: 30)
        let reader = try parse(svg)
        #expect(reader.elements.first?.name == "svg")
        #expect(reader.elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        let target = try #require(reader.elements.first { $0.attributes["id"] == "target" })
        #expect(target.name == "line")
        #expect(target.attributes["stroke-dasharray"] == "6 4")
        #expect(target.attributes["y1"] == target.attributes["y2"])
        // Day 3 is missing: two runs, one of two points and one of two, and four dots.
        let lines = reader.elements.filter { $0.name == "polyline" }
        #expect(lines.count == 2)
        #expect(reader.elements.filter { $0.name == "circle" }.count == 4)
        // A tick per day, labels on day 1 and every fifth.
        #expect(reader.text.contains("p95 latency, daily (target ≤ 300 ms)"))
        #expect(reader.text.contains("Pilot day"))
        #expect(reader.text.contains("Day 2: 280.5 ms"))
        #expect(svg == MetricChart.svg(criterion: criterion, dailyValues: values, target: 300, durationDays: 30))
        // Plain decimal numbers, whatever the host's locale.
        for element in reader.elements where element.name == "line" || element.name == "circle" {
            for key in ["x1", "y1", "x2", "y2", "cx", "cy"] {
                if let value = element.attributes[key] { #expect(Double(value) != nil, "\(key)=\(value)") }
            }
        }
    }

    @Test func sumsAreDrawnAsARunningTotal() throws {
        let criterion = try #require(Fixtures.criteria.first { $0.metric == "hours_saved" })
        let svg = MetricChart.svg(criterion: criterion, dailyValues: [(1, 2), (2, 3), (3, 1)], target: 51.4,
            durationDays: 14)
        let reader = try parse(svg)
        #expect(reader.text.contains("Staff hours saved, running total (target ≥ 51.4 h)"))
        #expect(reader.text.contains("Day 3: 6 h"))
        #expect(reader.text.contains("14"))
    }

    /// The schemas allow any finite number: a metric near the largest double, a running
    /// total that overflows to infinity, a target far below zero. The scale's range
    /// overflowed and the worker trapped (`Int` of infinity or NaN) on the weekly tick.
    @Test func hugeValuesAndTargetsDrawAChart() throws {
        let latency = Fixtures.criteria[0]
        let hours = try #require(Fixtures.criteria.first { $0.metric == "hours_saved" })
        let cases: [(Criterion, [(day: Int, value: Double?)], Double)] = [
            (latency, [(1, 1.7e308), (2, 250)], 500),
            (hours, [(1, 1e308), (2, 1e308), (3, 5)], 51.4),
            (latency, [(1, 1.7e308)], -1.7e308),
            (latency, [(1, -Double.greatestFiniteMagnitude), (2, .greatestFiniteMagnitude)], 0),
        ]
        for (criterion, values, target) in cases {
            let svg = MetricChart.svg(criterion: criterion, dailyValues: values, target: target, durationDays: 14)
            let reader = try parse(svg)
            for element in reader.elements where element.name == "line" || element.name == "circle" {
                for key in ["x1", "y1", "x2", "y2", "cx", "cy"] {
                    if let value = element.attributes[key] { #expect(Double(value)?.isFinite == true, "\(key)=\(value)") }
                }
            }
        }
    }

    @Test func namesAreEscapedAndEmptyChartsSayNoData() throws {
        let criterion = Criterion(id: "custom", kind: .business, metric: "tasks_completed", target: 40,
            comparison: .atLeast, unit: "", required: false, aggregation: "mean")
        let svg = MetricChart.svg(criterion: criterion, dailyValues: [], target: 40, durationDays: 14,
            name: "Tasks <done> & \"closed\"")
        let reader = try parse(svg)
        #expect(reader.text.contains("Tasks <done> & \"closed\", daily (target ≥ 40)"))
        #expect(reader.text.contains("No data yet"))
    }

    /// A combining mark after `&` or `<` makes one Character of the two: escaped by
    /// Character, the markup character went into the SVG raw.
    @Test func aCombiningMarkDoesNotHideAMarkupCharacter() throws {
        let criterion = Criterion(id: "custom", kind: .business, metric: "tasks_completed", target: 40,
            comparison: .atLeast, unit: "", required: false, aggregation: "mean")
        let name = "R&\u{301}D <\u{301}x"
        let svg = MetricChart.svg(criterion: criterion, dailyValues: [], target: 40, durationDays: 14, name: name)
        let reader = try parse(svg)
        #expect(reader.text.contains("\(name), daily (target ≥ 40)"))
    }

    @Test func chartsForAnEvaluation() throws {
        let charts = MetricChart.charts(F.successfulEnd)
        #expect(charts.map(\.path) == ["charts/latency_p95_ms.svg", "charts/accuracy_pct.svg", "charts/uptime_pct.svg",
            "charts/error_rate_pct.svg", "charts/hours_saved.svg"])
        for chart in charts { _ = try parse(chart.svg) }
    }
}
