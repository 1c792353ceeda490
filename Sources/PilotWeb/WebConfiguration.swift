import Foundation
import PilotAMQP
import PilotRuntime
import PilotStore

/// Everything `pilot-web` is configured with, checked once at start-up.
///
/// The executable reads flags and `PILOT_*` variables as strings; this type turns
/// them into values or says which one is wrong, so the rules can be tested without
/// starting a server.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The bearer token of `POST /events`; nil turns the route off (every request gets 401).
    public var token: String?
    /// DocuSign Connect HMAC keys, newest and older ones during a rotation; empty
    /// turns `POST /webhooks/docusign` off (every request gets 401).
    public var docuSignKeys: [String]
    /// The broker, or the nodes of a cluster (`PILOT_AMQP_URL` may list them): each
    /// publisher connects to the first that answers and moves on when it loses it.
    public var broker: AMQPNodes
    /// The first node: what the management API's default address is derived from.
    public var amqpURL: AMQPURL { broker.urls[0] }
    public var caFile: String?
    /// Largest request body read, in bytes; larger ones get 413 unread.
    public var maxBodyBytes: Int
    /// Publishing connections, each on its own thread.
    public var publishers: Int
    /// How long a request waits for the broker's confirm before it gets 503.
    public var confirmTimeout: Duration
    /// How long a connection may send nothing while its request is being read, or while it
    /// waits between requests, before it is closed: a client that stalls must not hold a
    /// connection and its buffered body for ever.
    public var idleTimeout: Duration
    /// Signs and checks the buyers' links (`/share/…`); nil turns them off (every link gets 403).
    public var secret: String?
    /// Where buyers and operators reach pilot-web, e.g. `https://pilots.example.com`; the
    /// dashboard prints buyer links under it, and its session cookie is `Secure` when it is https.
    public var publicURL: String?
    /// The store the pages read (`<workspace>/.pilot/pilot.db` by default); opened on
    /// first use and never created, so an unset workspace costs nothing.
    public var database: String
    /// Where the store is: `database` is its printable form (a PostgreSQL URL without its password).
    public var databaseLocation: DatabaseLocation
    /// The workspace the documents are read from.
    public var workspace: String
    /// Where the documents are read from when not the workspace (`PILOT_DOCUMENTS`);
    /// nil means the workspace folder.
    public var documents: (any DocumentStore)?
    /// The RabbitMQ management API, for queue depths (default `http://<AMQP host>:15672`).
    public var managementURL: String
    /// The pilot day length the workers use: it names the timer queue the dashboard shows.
    public var dayLength: Duration

    /// Checks each value; a wrong one throws an error naming the flag and its variable.
    public init(
        host: String = "0.0.0.0", port: String = "8080", token: String = "", docuSignHMACKeys: String = "",
        amqpURL: String = "amqp://guest:guest@127.0.0.1:5672/%2f", caFile: String = "",
        maxBodyBytes: String = "1048576", publishers: String = "2", confirmTimeout: String = "10", idleTimeout: String = "60",
        secret: String = "", publicURL: String = "", database: String = "", workspace: String = "",
        managementURL: String = "", daySeconds: String = "86400"
    ) throws(ConfigurationError) {
        guard !host.isEmpty else { throw ConfigurationError("--host [PILOT_WEB_HOST] must not be empty") }
        self.host = host
        guard let port = Int(port), (1...65535).contains(port) else {
            throw ConfigurationError("--port [PILOT_WEB_PORT] must be 1…65535, not \"\(port)\"")
        }
        self.port = port
        // A short token is guessable; the check costs nothing next to a leaked pilot.
        if !token.isEmpty && token.utf8.count < 16 {
            throw ConfigurationError("--token [PILOT_WEB_TOKEN] must be at least 16 characters")
        }
        self.token = token.isEmpty ? nil : token
        docuSignKeys = docuSignHMACKeys.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        do {
            broker = try AMQPNodes(amqpURL)
        } catch {
            throw ConfigurationError("--amqp-url [PILOT_AMQP_URL] is not a broker URL: \(error)")
        }
        self.caFile = caFile.isEmpty ? nil : caFile
        guard let maxBodyBytes = Int(maxBodyBytes), (1024...(64 << 20)).contains(maxBodyBytes) else {
            throw ConfigurationError("--max-body-bytes [PILOT_WEB_MAX_BODY_BYTES] must be 1024…67108864, not \"\(maxBodyBytes)\"")
        }
        self.maxBodyBytes = maxBodyBytes
        guard let publishers = Int(publishers), (1...32).contains(publishers) else {
            throw ConfigurationError("--publishers [PILOT_WEB_PUBLISHERS] must be 1…32, not \"\(publishers)\"")
        }
        self.publishers = publishers
        guard let seconds = Double(confirmTimeout), seconds > 0, seconds <= 300 else {
            throw ConfigurationError("--confirm-timeout [PILOT_WEB_CONFIRM_TIMEOUT] must be seconds in (0, 300], not \"\(confirmTimeout)\"")
        }
        self.confirmTimeout = .milliseconds(Int64(seconds * 1000))
        guard let idle = Double(idleTimeout), idle > 0, idle <= 3600 else {
            throw ConfigurationError("--idle-timeout [PILOT_WEB_IDLE_TIMEOUT] must be seconds in (0, 3600], not \"\(idleTimeout)\"")
        }
        self.idleTimeout = .milliseconds(Int64(idle * 1000))
        // The secret makes every buyer link: a short one could be found by trying.
        if !secret.isEmpty && secret.utf8.count < 16 {
            throw ConfigurationError("--secret [PILOT_WEB_SECRET] must be at least 16 characters")
        }
        self.secret = secret.isEmpty ? nil : secret
        if !publicURL.isEmpty {
            guard let url = URL(string: publicURL), url.scheme == "http" || url.scheme == "https", url.host != nil,
                url.query == nil
            else {
                throw ConfigurationError("--public-url [PILOT_WEB_PUBLIC_URL] must be an http(s) URL without a query, not \"\(publicURL)\"")
            }
        }
        self.publicURL = publicURL.isEmpty ? nil : publicURL
        self.workspace = workspace.isEmpty ? FileManager.default.currentDirectoryPath : workspace
        do {
            self.databaseLocation = try DatabaseLocation.parse(
                database, defaultPath: URL(fileURLWithPath: self.workspace).appendingPathComponent(".pilot/pilot.db").path)
            self.database = databaseLocation.description
        } catch {
            throw ConfigurationError(error.description)
        }
        self.managementURL = managementURL
        guard let day = Double(daySeconds).flatMap(Topology.dayLength(seconds:)) else {
            throw ConfigurationError(Topology.dayLengthRefusal(daySeconds))
        }
        dayLength = day
    }

    /// Whether the session cookie must be `Secure`: only when operators reach pilot-web over https.
    var secureCookies: Bool { publicURL?.hasPrefix("https://") == true }
}

/// A configuration value that cannot be used, said so that an operator can fix it.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
