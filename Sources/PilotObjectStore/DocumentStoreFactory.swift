import Foundation
import PilotRuntime

/// Turns the environment into the documents' store, for pilot-worker, pilot-web and
/// pilotctl alike:
///
/// - `PILOT_DOCUMENTS` unset or empty: the workspace folder;
/// - `PILOT_DOCUMENTS=s3://bucket/prefix`: an S3-compatible bucket, with
///   `PILOT_S3_ENDPOINT` (absent means AWS), `PILOT_S3_REGION` (default `us-east-1`),
///   `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`; `PILOT_S3_PARALLEL_PUTS` (default 8)
///   PUTs of one batch at once.
public enum DocumentStoreFactory {
    /// - Parameters:
    ///   - workspace: the folder used when `PILOT_DOCUMENTS` is unset.
    ///   - syncFiles: whether the workspace flushes what it writes (readers need not).
    /// - Throws: `DocumentStoreSettingError`, a sentence naming the variable, when a value
    ///   cannot be used.
    public static func make(
        environment: [String: String] = ProcessInfo.processInfo.environment, workspace: URL, syncFiles: Bool = true
    ) throws -> any DocumentStore {
        guard let setting = try S3Setting(environment: environment) else {
            return Workspace(root: workspace, syncFiles: syncFiles)
        }
        var store = S3DocumentStore(client: try S3Client(configuration: setting.configuration), prefix: setting.prefix)
        store.parallelPuts = setting.parallelPuts
        return store
    }
}

/// The S3 variables, checked; nil when `PILOT_DOCUMENTS` does not ask for S3.
public struct S3Setting: Sendable {
    public var configuration: S3Configuration
    public var prefix: String
    /// How many PUTs of one batch run at once (`PILOT_S3_PARALLEL_PUTS`).
    public var parallelPuts: Int

    public init?(environment: [String: String]) throws(DocumentStoreSettingError) {
        let value = environment["PILOT_DOCUMENTS"] ?? ""
        guard !value.isEmpty else { return nil }
        guard let schemeEnd = value.range(of: "://") else {
            throw DocumentStoreSettingError("PILOT_DOCUMENTS must be s3://bucket/prefix (or unset for the workspace folder), not a path")
        }
        let scheme = value[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "s3" else {
            throw DocumentStoreSettingError("PILOT_DOCUMENTS: \(scheme):// is not supported; give s3://bucket/prefix, or leave it unset for the workspace folder")
        }
        let rest = value[schemeEnd.upperBound...]
        let bucket = String(rest.prefix { $0 != "/" })
        guard !bucket.isEmpty else { throw DocumentStoreSettingError("PILOT_DOCUMENTS names no bucket: give s3://bucket/prefix") }
        guard bucket.count >= 3, bucket.count <= 63,
            bucket.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") })
        else {
            throw DocumentStoreSettingError("PILOT_DOCUMENTS: \(bucket.debugDescription) is not a bucket name (3 to 63 lower-case letters, digits, dots and hyphens)")
        }
        let prefix = rest.dropFirst(bucket.count).split(separator: "/").joined(separator: "/")
        guard !prefix.contains("?"), !prefix.contains("#"), !prefix.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) else {
            throw DocumentStoreSettingError("PILOT_DOCUMENTS: the prefix \(prefix.debugDescription) may not hold '?', '#', '.' or '..' parts")
        }
        let endpoint = environment["PILOT_S3_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
        if let endpoint, !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) || endpoint.contains("?") {
            throw DocumentStoreSettingError("PILOT_S3_ENDPOINT must be an http:// or https:// URL of the S3 server (scheme, host and port), or unset for AWS")
        }
        let region = environment["PILOT_S3_REGION"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
        guard region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw DocumentStoreSettingError("PILOT_S3_REGION: \(region.debugDescription) is not a region name (e.g. us-east-1)")
        }
        guard let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty else {
            throw DocumentStoreSettingError("AWS_ACCESS_KEY_ID is not set; PILOT_DOCUMENTS=s3://… needs it and AWS_SECRET_ACCESS_KEY")
        }
        guard let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else {
            throw DocumentStoreSettingError("AWS_SECRET_ACCESS_KEY is not set; PILOT_DOCUMENTS=s3://… needs it and AWS_ACCESS_KEY_ID")
        }
        let puts = environment["PILOT_S3_PARALLEL_PUTS"].flatMap { $0.isEmpty ? nil : $0 } ?? "8"
        // 64: each PUT of a batch holds a thread and a connection of its own.
        guard let parallelPuts = Int(puts), (1...64).contains(parallelPuts) else {
            throw DocumentStoreSettingError("PILOT_S3_PARALLEL_PUTS: \(puts.debugDescription) is not a whole number from 1 (one PUT after another) to 64")
        }
        self.parallelPuts = parallelPuts
        // libcurl takes them as user and password; a colon would end the user early.
        guard !key.contains(":") else { throw DocumentStoreSettingError("AWS_ACCESS_KEY_ID may not contain ':'") }
        configuration = S3Configuration(bucket: bucket, endpoint: endpoint, region: region, accessKey: key, secretKey: secret)
        self.prefix = prefix
    }
}

/// A document-store variable that cannot be used; the sentence names the variable and
/// never shows the secret.
public struct DocumentStoreSettingError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
