import Logging
import Synchronization

/// Every line a logger logs, message and metadata, for tests that wait on or check what
/// a component said.
public final class RecordedLog: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    /// A logger writing here, at `level` and above.
    public func logger(_ label: String = "test", level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: label) { _ in Handler(log: self) }
        logger.logLevel = level
        return logger
    }

    /// Whether a line holds `text`, in its message or its metadata.
    public func contains(_ text: String) -> Bool { lines.withLock { $0.contains { $0.contains(text) } } }

    public var all: [String] { lines.withLock { $0 } }

    struct Handler: LogHandler {
        let log: RecordedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            log.lines.withLock { $0.append("\(event.level) \(event.message) \(fields)") }
        }
    }
}
