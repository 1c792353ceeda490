import Contracts
import Foundation
import PilotDomain
import PilotJSON

/// Event data shaped like `examples/pilot.requested.json`, and helpers.
enum Fixtures {
    static let requestJSON = #"""
        {
          "lead": {
            "company": {"name": "Acme Analytics", "domain": "acme-analytics.com", "industry": "Data analytics",
                        "size": "51-200"},
            "contacts": [
              {"name": "Dana Whitfield", "email": "dana.whitfield@acme-analytics.com", "title": "VP Engineering",
               "technical": true, "decision_maker": true},
              {"name": "Ravi Menon", "email": "ravi.menon@acme-analytics.com", "title": "Staff Data Engineer",
               "technical": true},
              {"name": "Laura Chen", "email": "laura.chen@acme-analytics.com", "title": "COO", "technical": false,
               "decision_maker": true}
            ],
            "timezone": "America/New_York",
            "business_hours": {"start": "09:00", "end": "17:00"}
          },
          "founder": {"name": "Sam Okafor", "email": "sam@pilot-worker.dev"},
          "qualification": {
            "pain_points": ["Analysts spend every Monday assembling the KPI digest by hand.",
                            "Ingestion anomalies are found days late."],
            "technical_targets": {"latency_p95_ms": 300, "accuracy_pct": 95, "uptime_pct": 99.5, "error_rate_pct": 1},
            "integrations": ["Snowflake", "Slack"],
            "baseline": {"hours_per_week": 40, "hourly_cost": 85, "currency": "USD"},
            "expected_improvement_pct": 30,
            "satisfaction_target_nps": 30,
            "roi_target_pct": 150
          },
          "terms": {
            "duration_days": 30,
            "use_cases": [
              {"title": "Automated weekly KPI digest",
               "description": "Generate the Monday KPI digest for the leadership team from the warehouse without manual spreadsheet work."},
              {"title": "Anomaly triage",
               "description": "Flag and explain anomalies in daily ingestion volumes before the analysts start their day."},
              {"title": "Self-serve ad-hoc questions",
               "description": "Let account managers answer customer usage questions in natural language instead of filing data requests."}
            ],
            "support_level": "daily_checkins",
            "pricing": {"model": "discounted", "list_price_annual": 48000, "discount_pct": 50, "currency": "USD"}
          }
        }
        """#

    static var request: PilotRequest {
        try! JSONValueDecoder().decode(PilotRequest.self, from: JSONValue(parsing: requestJSON))
    }

    static var criteria: [Criterion] {
        SuccessCriteria.derive(from: request.qualification, durationDays: 30)
    }

    static let thread = "acme-2026-11"

    /// 2026-11-25T09:00:00Z, a Wednesday.
    static let now = utc("2026-11-25T09:00:00Z")

    static func utc(_ text: String) -> Date {
        try! JSONValueDecoder().decode(Date.self, from: .string(text))
    }

    static func zone(_ identifier: String) -> TimeZone {
        TimeZone(identifier: identifier)!
    }

    static func date(_ iso: String) -> CalendarDate {
        CalendarDate(iso: iso)!
    }

    static var agreementGenerated: AgreementGenerated {
        AgreementGenerated(request: request, criteria: criteria,
            agreementPath: "threads/sales/\(thread)/pilot-agreement-custom.md")
    }

    /// The repository's `schemas/` folder, found from this file.
    static var schemasDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schemas").path
    }

    /// `data` in a CloudEvents envelope of `type`.
    static func event(type: String, data: JSONValue) -> JSONValue {
        [
            "specversion": "1.0", "id": "3f8e2d41-7c6b-5a09-8e1f-2b4d6c8a0e12", "source": "/pilot-worker",
            "type": .string(type), "subject": .string(thread), "time": "2026-11-25T09:00:02Z",
            "datacontenttype": "application/json", "dataschema": .string(type + ".v1"), "data": data,
        ]
    }

    /// The lines of `text` that contain `needle`.
    static func lines(_ text: String, containing needle: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { $0.contains(needle) }
    }
}
