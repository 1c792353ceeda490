import Logging

/// A logger plus the metadata of the event in hand (`thread_id`, `event_id`, …).
///
/// Setting metadata on a `Logger` makes some handlers re-render their metadata on
/// every change, which showed up as a tenth of the per-message CPU; here the event's
/// metadata is merged only into lines that are actually emitted.
public struct EventLog: Sendable {
    public var logger: Logger
    public var metadata: Logger.Metadata

    public init(logger: Logger, metadata: Logger.Metadata = [:]) {
        self.logger = logger
        self.metadata = metadata
    }

    /// Logs with the event's metadata; the line names the caller's module as its source.
    public func log(
        _ level: Logger.Level, _ message: @autoclosure () -> Logger.Message, _ extra: Logger.Metadata = [:],
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        guard logger.logLevel <= level else { return }
        logger.log(level: level, message(), metadata: metadata.merging(extra) { $1 }, file: file, function: function, line: line)
    }

    public func debug(_ message: @autoclosure () -> Logger.Message, _ extra: Logger.Metadata = [:], file: String = #fileID, function: String = #function, line: UInt = #line) {
        log(.debug, message(), extra, file: file, function: function, line: line)
    }
    public func info(_ message: @autoclosure () -> Logger.Message, _ extra: Logger.Metadata = [:], file: String = #fileID, function: String = #function, line: UInt = #line) {
        log(.info, message(), extra, file: file, function: function, line: line)
    }
    public func warning(_ message: @autoclosure () -> Logger.Message, _ extra: Logger.Metadata = [:], file: String = #fileID, function: String = #function, line: UInt = #line) {
        log(.warning, message(), extra, file: file, function: function, line: line)
    }
    public func error(_ message: @autoclosure () -> Logger.Message, _ extra: Logger.Metadata = [:], file: String = #fileID, function: String = #function, line: UInt = #line) {
        log(.error, message(), extra, file: file, function: function, line: line)
    }
}
