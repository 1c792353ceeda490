import Foundation
import Testing

/// Whether the tests that need a live RabbitMQ (started by `deploy/broker.sh`) and the
/// built worker processes run here: one condition for the whole suite.
///
/// `swift test` on a machine without `rabbitmq-server`, or with `PILOT_SKIP_LIVE_TESTS=1`,
/// runs the pure and in-process tests and skips the live ones with the reason.
/// `PILOT_REQUIRE_LIVE_TESTS=1` (set by `deploy/test.sh`) never skips: a missing broker
/// then fails each live test loudly instead of hiding it.
public enum LiveTests {
    /// Why live tests are skipped here, or nil when they run.
    public static let skipReason: String? = reason(environment: ProcessInfo.processInfo.environment)

    /// Why live tests are skipped under `environment`, or nil when they run. `serverAt`
    /// is where `deploy/broker.sh` looks first, before PATH.
    public static func reason(
        environment: [String: String], serverAt server: String = "/usr/lib/rabbitmq/bin/rabbitmq-server"
    ) -> String? {
        if environment["PILOT_REQUIRE_LIVE_TESTS"] == "1" { return nil }
        if environment["PILOT_SKIP_LIVE_TESTS"] == "1" { return "live test skipped: PILOT_SKIP_LIVE_TESTS=1" }
        let installed = FileManager.default.isExecutableFile(atPath: server)
            || which("rabbitmq-server", path: environment["PATH"]) != nil
        return installed ? nil : "live test skipped: rabbitmq-server is not installed (deploy/install-deps.sh installs it)"
    }
}

/// Whether the tests that need a live PostgreSQL (started by `deploy/postgres.sh` from
/// Debian's binaries) run here; same rules as `LiveTests`.
public enum LivePostgres {
    /// Where `deploy/postgres.sh` takes its binaries from.
    public static let binaries = ProcessInfo.processInfo.environment["PILOT_PG_BIN"] ?? "/usr/lib/postgresql/15/bin"

    /// Why PostgreSQL tests are skipped here, or nil when they run.
    public static let skipReason: String? = {
        let environment = ProcessInfo.processInfo.environment
        if environment["PILOT_REQUIRE_LIVE_TESTS"] == "1" { return nil }
        if environment["PILOT_SKIP_LIVE_TESTS"] == "1" { return "live test skipped: PILOT_SKIP_LIVE_TESTS=1" }
        return FileManager.default.isExecutableFile(atPath: binaries + "/pg_ctl")
            ? nil : "live test skipped: PostgreSQL 15 is not installed at \(binaries) (deploy/install-deps.sh installs it)"
    }()
}

extension Trait where Self == ConditionTrait {
    /// Marks a test or suite that needs a live PostgreSQL; see `LivePostgres`.
    public static var livePostgres: Self {
        .enabled(if: LivePostgres.skipReason == nil, Comment(rawValue: LivePostgres.skipReason ?? "PostgreSQL available"))
    }

    /// Marks a test or suite that needs a live broker; see `LiveTests`.
    public static var live: Self {
        .enabled(if: LiveTests.skipReason == nil, Comment(rawValue: LiveTests.skipReason ?? "live broker available"))
    }
}
