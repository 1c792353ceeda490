import Foundation
@testable import PilotObjectStore
import PilotRuntime
import Testing

/// `PILOT_DOCUMENTS` and the S3 variables: what is accepted and the sentence for what is not.
struct DocumentStoreFactoryTests {
    static let credentials = ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "very-secret-value"]
    let workspace = URL(fileURLWithPath: "/srv/pilots")

    @Test func unsetOrEmptyMeansTheWorkspace() throws {
        for environment in [[:], ["PILOT_DOCUMENTS": ""]] {
            let store = try DocumentStoreFactory.make(environment: environment, workspace: workspace)
            #expect((store as? Workspace)?.root.path == "/srv/pilots")
        }
    }

    @Test func anS3URLWithAnEndpointIsPathStyle() throws {
        let environment = Self.credentials.merging([
            "PILOT_DOCUMENTS": "s3://pilot-docs/prod/eu/", "PILOT_S3_ENDPOINT": "http://127.0.0.1:8333/",
            "PILOT_S3_REGION": "eu-west-1",
        ]) { $1 }
        let store = try #require(try DocumentStoreFactory.make(environment: environment, workspace: workspace) as? S3DocumentStore)
        #expect(store.prefix == "prod/eu")
        #expect(store.key("threads/sales/a/b.md") == "prod/eu/threads/sales/a/b.md")
        #expect(store.client.configuration.region == "eu-west-1")
        #expect(store.client.configuration.endpoint == "http://127.0.0.1:8333")
        #expect(store.parallelPuts == 8)
    }

    @Test func theWidthOfABatchsPutsIsSet() throws {
        for (value, width) in [("1", 1), ("16", 16), ("64", 64), ("", 8)] {
            let environment = Self.credentials.merging(["PILOT_DOCUMENTS": "s3://pilot-docs", "PILOT_S3_PARALLEL_PUTS": value]) { $1 }
            let store = try #require(try DocumentStoreFactory.make(environment: environment, workspace: workspace) as? S3DocumentStore)
            #expect(store.parallelPuts == width, "\(value)")
        }
    }

    @Test func withoutAnEndpointItIsAWSVirtualHostedInUSEast1() throws {
        let environment = Self.credentials.merging(["PILOT_DOCUMENTS": "s3://pilot-docs"]) { $1 }
        let store = try #require(try DocumentStoreFactory.make(environment: environment, workspace: workspace) as? S3DocumentStore)
        #expect(store.prefix == "")
        #expect(store.key("threads/sales/a/b.md") == "threads/sales/a/b.md")
        #expect(store.client.configuration.region == "us-east-1")
        #expect(store.client.configuration.endpoint == nil)
        #expect(store.client.url(key: "threads/a b.md") == "https://pilot-docs.s3.us-east-1.amazonaws.com/threads/a%20b.md")
        #expect(store.client.url(key: nil, query: "list-type=2") == "https://pilot-docs.s3.us-east-1.amazonaws.com/?list-type=2")
    }

    /// AWS's certificate is for `*.s3.<region>.amazonaws.com`: a dotted bucket as a host
    /// name would fail its check, so it goes in the path.
    @Test func aBucketWithADotIsPathStyleOnAWS() throws {
        let environment = Self.credentials.merging(["PILOT_DOCUMENTS": "s3://docs.example.com/p", "PILOT_S3_REGION": "eu-west-1"]) { $1 }
        let store = try #require(try DocumentStoreFactory.make(environment: environment, workspace: workspace) as? S3DocumentStore)
        #expect(store.client.url(key: "p/threads/x.md") == "https://s3.eu-west-1.amazonaws.com/docs.example.com/p/threads/x.md")
        #expect(store.client.url(key: nil, query: "list-type=2") == "https://s3.eu-west-1.amazonaws.com/docs.example.com?list-type=2")
    }

    @Test(arguments: [
        (["PILOT_DOCUMENTS": "gs://bucket/p"], "PILOT_DOCUMENTS: gs:// is not supported"),
        (["PILOT_DOCUMENTS": "/srv/documents"], "PILOT_DOCUMENTS must be s3://bucket/prefix"),
        (["PILOT_DOCUMENTS": "s3:///prefix"], "PILOT_DOCUMENTS names no bucket"),
        (["PILOT_DOCUMENTS": "s3://Bad_Bucket/p"], "is not a bucket name"),
        (["PILOT_DOCUMENTS": "s3://bucket/a/../b"], "PILOT_DOCUMENTS: the prefix"),
        (["PILOT_DOCUMENTS": "s3://bucket/p", "PILOT_S3_ENDPOINT": "127.0.0.1:8333"], "PILOT_S3_ENDPOINT must be an http:// or https:// URL"),
        (["PILOT_DOCUMENTS": "s3://bucket/p", "PILOT_S3_REGION": "eu west"], "PILOT_S3_REGION"),
        (["PILOT_DOCUMENTS": "s3://bucket/p", "PILOT_S3_PARALLEL_PUTS": "0"], "PILOT_S3_PARALLEL_PUTS: \"0\" is not a whole number from 1"),
        (["PILOT_DOCUMENTS": "s3://bucket/p", "PILOT_S3_PARALLEL_PUTS": "65"], "PILOT_S3_PARALLEL_PUTS"),
        (["PILOT_DOCUMENTS": "s3://bucket/p", "PILOT_S3_PARALLEL_PUTS": "eight"], "PILOT_S3_PARALLEL_PUTS"),
        (["PILOT_DOCUMENTS": "s3://bucket/p", "AWS_ACCESS_KEY_ID": ""], "AWS_ACCESS_KEY_ID is not set"),
        (["PILOT_DOCUMENTS": "s3://bucket/p", "AWS_SECRET_ACCESS_KEY": ""], "AWS_SECRET_ACCESS_KEY is not set"),
    ])
    func unusableValuesAreRefusedNamingTheVariable(_ values: [String: String], _ expected: String) throws {
        let environment = Self.credentials.merging(values) { $1 }
        let error = try #require(throws: DocumentStoreSettingError.self) {
            _ = try DocumentStoreFactory.make(environment: environment, workspace: workspace)
        }
        #expect(error.description.contains(expected), "\(error)")
        #expect(!error.description.contains("very-secret-value"))
    }
}
