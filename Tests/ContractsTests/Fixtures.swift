import Contracts
import PilotJSON

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Schemas and events shaped like ours, written here so that the tests do not
/// depend on the `schemas/` folder.
enum Fixtures {
    static let envelope: JSONValue = try! JSONValue(parsing: #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://schemas.pilot-worker.dev/cloudevent.v1.json",
          "title": "CloudEvents 1.0 envelope",
          "type": "object",
          "required": ["specversion", "id", "source", "type", "subject", "time", "data"],
          "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "minLength": 1},
            "source": {"type": "string", "format": "uri-reference"},
            "type": {"type": "string", "pattern": "^[a-z]+(\\.[a-z_]+)+$"},
            "subject": {
              "type": "string",
              "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
              "not": {"pattern": "\\.\\."}
            },
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"const": "application/json"},
            "dataschema": {"type": "string"},
            "causationid": {"type": "string"},
            "data": {"type": "object"}
          }
        }
        """#)

    static let pilotRequested: JSONValue = try! JSONValue(parsing: #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://schemas.pilot-worker.dev/pilot.requested.v1.json",
          "$ref": "cloudevent.v1.json",
          "properties": {
            "type": {"const": "pilot.requested"},
            "data": {
              "type": "object",
              "required": ["lead", "founder", "qualification", "terms"],
              "additionalProperties": false,
              "properties": {
                "lead": {
                  "type": "object",
                  "required": ["company", "contacts", "timezone"],
                  "properties": {
                    "company": {
                      "type": "object", "required": ["name"],
                      "properties": {"name": {"type": "string", "minLength": 1}, "domain": {"type": "string"},
                        "industry": {"type": "string"}, "size": {"type": "string"}}
                    },
                    "contacts": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/contact"}},
                    "timezone": {"type": "string", "pattern": "^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$"}
                  }
                },
                "founder": {"$ref": "#/$defs/person"},
                "qualification": {
                  "type": "object",
                  "required": ["pain_points", "technical_targets", "baseline"],
                  "properties": {
                    "pain_points": {"type": "array", "items": {"type": "string"}},
                    "technical_targets": {
                      "type": "object",
                      "properties": {
                        "latency_p95_ms": {"type": "number", "exclusiveMinimum": 0},
                        "accuracy_pct": {"$ref": "#/$defs/percent"},
                        "uptime_pct": {"$ref": "#/$defs/percent"},
                        "error_rate_pct": {"$ref": "#/$defs/percent"}
                      }
                    },
                    "integrations": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
                    "baseline": {
                      "type": "object", "required": ["hours_per_week", "hourly_cost", "currency"],
                      "properties": {"hours_per_week": {"type": "number", "minimum": 0},
                        "hourly_cost": {"type": "number", "minimum": 0},
                        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}}
                    },
                    "expected_improvement_pct": {"$ref": "#/$defs/percent"},
                    "satisfaction_target_nps": {"type": "integer", "minimum": -100, "maximum": 100},
                    "roi_target_pct": {"type": "number"}
                  }
                },
                "terms": {
                  "type": "object",
                  "required": ["duration_days", "use_cases", "support_level", "pricing"],
                  "properties": {
                    "duration_days": {"type": "integer", "minimum": 14, "maximum": 30, "default": 30},
                    "use_cases": {
                      "type": "array", "minItems": 3, "maxItems": 5,
                      "items": {"type": "object", "required": ["title", "description"],
                        "properties": {"title": {"type": "string"}, "description": {"type": "string"}}}
                    },
                    "support_level": {"enum": ["daily_checkins", "async"]},
                    "pricing": {
                      "type": "object",
                      "required": ["model", "list_price_annual", "currency"],
                      "properties": {
                        "model": {"enum": ["free", "discounted"]},
                        "list_price_annual": {"type": "number", "minimum": 0},
                        "discount_pct": {"type": "number", "exclusiveMinimum": 0, "maximum": 100,
                          "multipleOf": 0.01},
                        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}
                      },
                      "if": {"properties": {"model": {"const": "discounted"}}},
                      "then": {"required": ["discount_pct"]}
                    }
                  }
                }
              }
            }
          },
          "$defs": {
            "person": {
              "type": "object", "required": ["name", "email"],
              "properties": {"name": {"type": "string", "minLength": 1}, "email": {"type": "string", "format": "email"}}
            },
            "contact": {
              "allOf": [{"$ref": "#/$defs/person"}],
              "required": ["technical"],
              "properties": {"title": {"type": "string"}, "technical": {"type": "boolean"},
                "decision_maker": {"type": "boolean"}}
            },
            "percent": {"type": "number", "minimum": 0, "maximum": 100}
          }
        }
        """#)

    /// A valid `pilot.requested` event of about 2 KB.
    static let event: JSONValue = try! JSONValue(parsing: #"""
        {
          "specversion": "1.0", "id": "9b2c6a5e-2f43-4b8e-9d7e-3f0c9a1b2c3d", "source": "/crm",
          "type": "pilot.requested", "subject": "acme-2026-11", "time": "2026-11-25T09:00:00Z",
          "datacontenttype": "application/json", "dataschema": "pilot.requested.v1",
          "data": {
            "lead": {
              "company": {"name": "Acme Corp", "domain": "acme.example", "industry": "Logistics", "size": "200-500"},
              "contacts": [
                {"name": "Dana Smith", "email": "dana.smith@acme.example", "title": "CTO", "technical": true,
                 "decision_maker": true},
                {"name": "Lee Wong", "email": "lee.wong@acme.example", "title": "Engineer", "technical": true},
                {"name": "Ana Ruiz", "email": "ana.ruiz@acme.example", "title": "COO", "technical": false,
                 "decision_maker": true}
              ],
              "timezone": "America/Chicago"
            },
            "founder": {"name": "Sam Founder", "email": "sam@pilot-worker.dev"},
            "qualification": {
              "pain_points": ["manual dispatch takes hours", "errors in route planning", "no visibility"],
              "technical_targets": {"latency_p95_ms": 250, "accuracy_pct": 95, "uptime_pct": 99.5,
                "error_rate_pct": 1},
              "integrations": ["salesforce", "slack", "snowflake"],
              "baseline": {"hours_per_week": 40, "hourly_cost": 55.5, "currency": "USD"},
              "expected_improvement_pct": 30, "satisfaction_target_nps": 40, "roi_target_pct": 150
            },
            "terms": {
              "duration_days": 30,
              "use_cases": [
                {"title": "Automated dispatch", "description": "Assign loads to drivers without manual work."},
                {"title": "Route accuracy", "description": "Cut planning errors on multi-stop routes."},
                {"title": "Live visibility", "description": "Give customers tracking without phone calls."},
                {"title": "Weekly reporting", "description": "Replace the spreadsheet the ops team fills in."}
              ],
              "support_level": "daily_checkins",
              "pricing": {"model": "discounted", "list_price_annual": 48000, "discount_pct": 0.35,
                "currency": "USD"}
            }
          }
        }
        """#)

    /// A fresh folder holding `files` (name → JSON text); removed by the caller with `remove`.
    static func directory(_ files: [String: String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appending(path: "contracts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: URL(filePath: path).appending(path: name))
        }
        return path
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The event with the member at `path` set to `value` (`nil` removes it).
    static func event(setting path: [String], to value: JSONValue?) -> JSONValue {
        func set(_ target: JSONValue, _ path: ArraySlice<String>) -> JSONValue? {
            guard let key = path.first else { return value }
            switch target {
            case .object(var object):
                object[key] = set(object[key] ?? .null, path.dropFirst())
                return .object(object)
            case .array(var items):
                let index = Int(key)!
                items[index] = set(items[index], path.dropFirst()) ?? .null
                return .array(items)
            default:
                return target
            }
        }
        return set(event, path[...])!
    }

    /// A registry holding the envelope and `pilot.requested`.
    static func registry() throws -> SchemaRegistry {
        var registry = SchemaRegistry()
        try registry.register(envelope)
        try registry.register(pilotRequested)
        return registry
    }

    static func pilotRequestedSchema() throws -> Schema {
        try registry().compile("https://schemas.pilot-worker.dev/pilot.requested.v1.json")
    }
}
