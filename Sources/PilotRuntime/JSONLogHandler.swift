import Contracts
import Foundation
import Logging
import PilotJSON

/// Writes one JSON object per line to stderr, for log shippers:
/// `{"ts":…,"level":…,"label":…,"msg":…,<metadata>…}`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object = JSONObject([
            ("ts", .string(EventTime.preciseString(Date()))),
            ("level", .string(event.level.rawValue)),
            ("label", .string(label)),
            ("msg", .string(event.message.description)),
        ])
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() { object[key] = Self.json(merged[key]!) }
        let line = JSONValue.object(object).serialized() + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func json(_ value: Logger.MetadataValue) -> JSONValue {
        switch value {
        case .string(let s): .string(s)
        case .stringConvertible(let s): .string(s.description)
        case .array(let items): .array(items.map(json))
        case .dictionary(let dict): .object(JSONObject(dict.keys.sorted().map { ($0, json(dict[$0]!)) }))
        }
    }
}
