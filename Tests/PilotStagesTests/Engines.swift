import Foundation
import PilotStore
import PilotTestKit

/// Where the workers of a rehearsal keep their state and their documents: the embedded
/// default (SQLite and the workspace of one host), or shared engines (PostgreSQL, an S3
/// bucket), each started privately for the run. The chaos suite takes either from
/// `PILOT_CHAOS_DATABASE` (`sqlite` or `postgres`) and `PILOT_CHAOS_DOCUMENTS`
/// (`workspace` or `s3`), so that `Benchmarks/scale-out.sh` can time the same rehearsal
/// on both; the scale suite always runs on the shared ones.
final class Engines: Sendable {
    let postgres: TestPostgres?
    let objects: TestObjectStore?
    /// The local folder: the SQLite file and the documents when they are local.
    let workspace: URL
    static let prefix = "pilots"

    /// Starts what `database` and `documents` name; `workspace` is the run's local folder.
    static func start(database: String, documents: String, workspace: URL) async throws -> Engines {
        guard ["sqlite", "postgres"].contains(database), ["workspace", "s3"].contains(documents) else {
            throw Unknown(database: database, documents: documents)
        }
        let postgres = database == "postgres" ? try await offThePool { try TestPostgres.start() } : nil
        do {
            let objects = documents == "s3" ? try await TestObjectStore.start() : nil
            return Engines(postgres: postgres, objects: objects, workspace: workspace)
        } catch {
            postgres?.stop()
            throw error
        }
    }

    private init(postgres: TestPostgres?, objects: TestObjectStore?, workspace: URL) {
        self.postgres = postgres
        self.objects = objects
        self.workspace = workspace
    }

    var name: String { "\(postgres == nil ? "SQLite" : "PostgreSQL") + \(objects == nil ? "workspace" : "S3 (SeaweedFS)")" }

    /// What the workers need besides the broker: the database and the documents.
    var environment: [String: String] {
        var environment = objects?.environment(prefix: Self.prefix) ?? [:]
        environment["PILOT_WORKSPACE"] = workspace.path
        if let postgres { environment["PILOT_DATABASE"] = postgres.url() }
        return environment
    }

    /// The store the workers share, for the checks.
    func store() throws -> any PilotStore {
        if let postgres { return try PostgresPilotStore(url: postgres.url()) }
        return try SQLitePilotStore(path: workspace.appendingPathComponent(".pilot/pilot.db").path)
    }

    /// The documents of `thread` that are not where the contract says (below
    /// `threads/sales/<thread>/` of the workspace, or under the prefix in the bucket).
    func missing(thread: String, _ documents: [String]) throws -> [String] {
        if let objects {
            let keys = Set(try objects.keys(prefix: "\(Self.prefix)/threads/sales/\(thread)/"))
            return documents.filter { !keys.contains("\(Self.prefix)/threads/sales/\(thread)/\($0)") }
        }
        let folder = workspace.appendingPathComponent("threads/sales/\(thread)")
        return documents.filter { !FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
    }

    /// Files that should not exist: temporary files left in the workspace, and with both
    /// engines shared, any file at all in `folders` (the hosts' own).
    func strays(in folders: [URL]) -> [String] {
        let shared = postgres != nil && objects != nil
        return folders.flatMap { folder in
            let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
            var strays: [String] = []
            while let url = walker?.nextObject() as? URL {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
                if shared || url.lastPathComponent.hasSuffix(".tmp") {
                    strays.append(String(url.path.dropFirst(folder.deletingLastPathComponent().path.count + 1)))
                }
            }
            return strays
        }
    }

    struct Unknown: Error, CustomStringConvertible {
        var database: String
        var documents: String
        var description: String { "engines: database \(database) is not sqlite or postgres, or documents \(documents) not workspace or s3" }
    }

    func stop() {
        objects?.stop()
        postgres?.stop()
    }
}
