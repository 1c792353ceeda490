import Foundation
import Synchronization

/// A small self-contained SVG line chart of one criterion over the pilot's
/// days: axes, day ticks, a dashed target line, the series and a title.
///
/// The x axis always spans days 1…`durationDays`, so charts of different weeks
/// line up. A criterion aggregated by `sum` (hours saved) is drawn as its
/// running total, so the line climbs towards the total target; every other
/// criterion as its daily values. Days without a value break the line. The y
/// axis has "nice" steps (1, 2 or 5 × 10ⁿ) covering the values and the target.
/// Coordinates are written with at most one decimal and no locale, so the same
/// input gives the same bytes.
public enum MetricChart {
    /// A chart ready to write.
    public struct Chart: Hashable, Sendable {
        /// The criterion's id.
        public var criterionID: String
        /// Relative to the thread folder: `charts/<criterion id>.svg`.
        public var path: String
        public var svg: String
    }

    static let width = 640.0
    static let height = 320.0
    static let left = 64.0
    static let right = 24.0
    static let top = 44.0
    static let bottom = 44.0

    /// `charts/latency_p95_ms.svg`: where reports link a criterion's chart, relative to the thread folder.
    public static func path(for criterion: Criterion) -> String {
        "charts/" + criterion.id + ".svg"
    }

    /// The criteria of `evaluation` that get a chart: those with daily values (not ROI or
    /// NPS, not metrics never reported). Reports that only link the charts ask this.
    public static func charted(_ evaluation: PilotEvaluation) -> [CriterionEvaluation] {
        evaluation.criteria.filter { item in item.daily.contains { $0.value != nil } }
    }

    /// A chart for each criterion `charted` names.
    public static func charts(_ evaluation: PilotEvaluation) -> [Chart] {
        charted(evaluation).map { item in
            Chart(criterionID: item.criterion.id, path: path(for: item.criterion),
                svg: svg(criterion: item.criterion, dailyValues: item.daily.map { ($0.day, $0.value) },
                    target: item.criterion.target, durationDays: evaluation.durationDays,
                    name: MetricText.name(item.criterion, in: evaluation)))
        }
    }

    /// The SVG document.
    ///
    /// - Parameters:
    ///   - dailyValues: a value (or `nil`) per day; days outside 1…`durationDays` are left out.
    ///   - name: the title's name of the metric; by default `CriterionText`'s.
    public static func svg(criterion: Criterion, dailyValues: [(day: Int, value: Double?)], target: Double,
        durationDays: Int, name: String? = nil) -> String
    {
        let duration = max(1, durationDays)
        let cumulative = MetricAggregation.isSum(criterion.aggregation)
        var points: [(day: Int, value: Double?)] = []
        var total = 0.0
        for entry in dailyValues.sorted(by: { $0.day < $1.day }) where (1...duration).contains(entry.day) {
            if cumulative {
                if let value = entry.value { total += value }
                points.append((entry.day, entry.value == nil ? nil : total))
            } else {
                points.append(entry)
            }
        }
        let values = points.compactMap(\.value)
        let scale = Scale(values: values + [target])
        func y(_ value: Double) -> Double {
            // Within the scale, which holds every value but those past ±`Scale.limit`.
            let inRange = value.isNaN ? scale.min : Swift.min(Swift.max(value, scale.min), scale.max)
            return top + (scale.max - inRange) / (scale.max - scale.min) * plotHeight
        }
        let label = name ?? CriterionText(criterion, durationDays: duration).name
        let title = label + (cumulative ? ", running total" : ", daily") + " (target "
            + CriterionText.target(criterion) + ")"
        let unit = criterion.unit == "NPS" ? "" : criterion.unit

        var svg = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        svg += #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(n(width))" height="\#(n(height))" "#
            + #"viewBox="0 0 \#(n(width)) \#(n(height))" role="img" aria-labelledby="title">"# + "\n"
        svg += "<title id=\"title\">" + escape(title) + "</title>\n"
        svg += #"<rect width="100%" height="100%" fill="white"/>"# + "\n"
        svg += #"<text x="\#(n(width / 2))" y="24" text-anchor="middle" font-family="sans-serif" "#
            + #"font-size="15" fill="rgb(34,34,34)">"# + escape(title) + "</text>\n"

        // Horizontal grid and y labels.
        svg += #"<g class="y-axis" font-family="sans-serif" font-size="11" fill="rgb(85,85,85)" text-anchor="end">"# + "\n"
        for tick in scale.ticks {
            let ty = n(y(tick))
            svg += #"<line x1="\#(n(left))" y1="\#(ty)" x2="\#(n(width - right))" y2="\#(ty)" stroke="rgb(229,229,229)"/>"#
                + "\n"
            svg += #"<text x="\#(n(left - 6))" y="\#(n(y(tick) + 4))">"#
                + escape(MetricText.value(tick, unit: unit)) + "</text>\n"
        }
        svg += "</g>\n"

        svg += axes
        let days = dayAxis(duration)
        svg += days.group

        // Target.
        let ty = n(y(target))
        svg += #"<line id="target" class="target" x1="\#(n(left))" y1="\#(ty)" x2="\#(n(width - right))" "#
            + #"y2="\#(ty)" stroke="rgb(192,57,43)" stroke-width="1.5" stroke-dasharray="6 4"/>"# + "\n"

        // Series: one polyline per run of consecutive days with values, and a dot per value.
        svg += #"<g class="series" fill="none" stroke="rgb(31,111,235)" stroke-width="2">"# + "\n"
        // Each point's y once, for both its line and its dot; its x comes with the day axis.
        let ys = points.map { point in point.value.map { n(y($0)) } }
        var run: [String] = []
        func flush() {
            if run.count > 1 { svg += #"<polyline points="\#(run.joined(separator: " "))"/>"# + "\n" }
            run = []
        }
        for (point, py) in zip(points, ys) {
            guard let py else { flush(); continue }
            run.append(days.xs[point.day - 1] + "," + py)
        }
        flush()
        for (point, py) in zip(points, ys) {
            guard let value = point.value, let py else { continue }
            svg += #"<circle cx="\#(days.xs[point.day - 1])" cy="\#(py)" r="3" fill="rgb(31,111,235)" stroke="none">"#
                + "<title>Day \(point.day): " + escape(MetricText.value(value, unit: criterion.unit))
                + "</title></circle>\n"
        }
        svg += "</g>\n"
        // The target's label last, so the series never hides it.
        svg += #"<text x="\#(n(width - right))" y="\#(n(y(target) - 5))" text-anchor="end" "#
            + #"font-family="sans-serif" font-size="11" fill="rgb(192,57,43)" stroke="white" stroke-width="3" "#
            + #"paint-order="stroke">target "#
            + escape(CriterionText.target(criterion)) + "</text>\n"
        if values.isEmpty {
            svg += #"<text x="\#(n(left + plotWidth / 2))" y="\#(n(top + plotHeight / 2))" text-anchor="middle" "#
                + #"font-family="sans-serif" font-size="13" fill="rgb(136,136,136)">No data yet</text>"# + "\n"
        }
        svg += "</svg>\n"
        return svg
    }

    /// A coordinate: at most one decimal, no locale.
    static func n(_ value: Double) -> String { NumberText.plain(value, maxFractionDigits: 1) }

    static var plotWidth: Double { width - left - right }
    static var plotHeight: Double { height - top - bottom }

    /// The x of `day`'s tick on an axis of `duration` days.
    static func x(_ day: Int, duration: Int) -> Double {
        duration == 1 ? left + plotWidth / 2 : left + Double(day - 1) / Double(duration - 1) * plotWidth
    }

    /// The y of the x axis, as written.
    static let baseline = n(top + plotHeight)

    /// The two axes: the same in every chart.
    static let axes: String = {
        var svg = #"<g class="axes" stroke="rgb(51,51,51)" stroke-width="1">"# + "\n"
        svg += #"<line x1="\#(n(left))" y1="\#(n(top))" x2="\#(n(left))" y2="\#(baseline)"/>"# + "\n"
        svg += #"<line x1="\#(n(left))" y1="\#(baseline)" x2="\#(n(width - right))" y2="\#(baseline)"/>"# + "\n"
        return svg + "</g>\n"
    }()

    /// What every chart of one length shares: the day axis, and each day's x as written.
    struct DayAxis: Sendable {
        var group: String
        /// Day 1 first.
        var xs: [String]
    }

    /// Every chart of a pilot, every day, draws the same day axis: it is built once for
    /// each length. Pilots run 14 to 60 days; lengths past a year, which no pilot
    /// reaches, are built each time rather than kept.
    static func dayAxis(_ duration: Int) -> DayAxis {
        if let known = dayAxes.withLock({ $0[duration] }) { return known }
        let built = buildDayAxis(duration)
        if duration <= 366 { dayAxes.withLock { $0[duration] = built } }
        return built
    }

    private static let dayAxes = Mutex<[Int: DayAxis]>([:])

    /// Day ticks: every day; labels on every day up to 15 days, else on day 1 and every fifth.
    private static func buildDayAxis(_ duration: Int) -> DayAxis {
        let xs = (1...duration).map { n(x($0, duration: duration)) }
        let tickEnd = n(top + plotHeight + 4)
        let labelY = n(top + plotHeight + 17)
        var svg = #"<g class="x-axis" font-family="sans-serif" font-size="11" fill="rgb(85,85,85)" text-anchor="middle">"#
            + "\n"
        for day in 1...duration {
            let tx = xs[day - 1]
            svg += #"<line x1="\#(tx)" y1="\#(baseline)" x2="\#(tx)" y2="\#(tickEnd)" "#
                + #"stroke="rgb(51,51,51)"/>"# + "\n"
            if duration <= 15 || day == 1 || day % 5 == 0 {
                svg += #"<text x="\#(tx)" y="\#(labelY)">\#(day)</text>"# + "\n"
            }
        }
        svg += #"<text x="\#(n(left + plotWidth / 2))" y="\#(n(height - 6))">Pilot day</text>"# + "\n"
        svg += "</g>\n"
        return DayAxis(group: svg, xs: xs)
    }

    /// Text for XML content and attribute values.
    static func escape(_ text: String) -> String {
        let line = MarkdownText.singleLine(text)
        // Most labels are plain: nothing to replace, no need to walk them.
        let needsEscaping = line.utf8.contains { byte in
            switch byte {
            case 0..<0x20, UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
            default: false
            }
        }
        if !needsEscaping { return line }
        // Scalar by scalar: by Character, a combining mark after `&` or `<` made one
        // character of the two, which no case matched, and the markup went out raw.
        var out = ""
        for scalar in line.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // Control characters are not allowed in XML 1.0.
            case "\u{0}"..."\u{1F}": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The y range and its ticks: steps of 1, 2 or 5 × 10ⁿ, about five ticks.
    struct Scale {
        var min: Double
        var max: Double
        var step: Double
        /// Values are drawn within ±this. The schemas let a metric or a target be any
        /// finite double, and a running total can overflow to infinity; a range from
        /// them overflowed, and `ticks` trapped converting infinity or NaN to `Int`.
        static let limit = 1e300

        init(values: [Double]) {
            let drawn = values.compactMap { $0.isNaN ? nil : Swift.min(Swift.max($0, -Self.limit), Self.limit) }
            var low = drawn.min() ?? 0
            var high = drawn.max() ?? 1
            if high - low < 1e-9 {
                let pad = Swift.max(abs(high) * 0.1, 1)
                (low, high) = (low - pad, high + pad)
            }
            let raw = (high - low) / 4
            let magnitude = pow(10, (log10(raw)).rounded(.down))
            let normalized = raw / magnitude
            let factor: Double = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10
            step = factor * magnitude
            min = (low / step).rounded(.down) * step
            max = (high / step).rounded(.up) * step
            if max - min < step / 2 { max = min + step }
            // Values near but not below zero keep the axis at zero, not below.
            if drawn.allSatisfy({ $0 >= 0 }), min < 0 { min = 0 }
        }

        var ticks: [Double] {
            let count = Int(((max - min) / step).rounded())
            return (0...count).map { ROICalculation.round(min + Double($0) * step, 6) }
        }
    }
}
