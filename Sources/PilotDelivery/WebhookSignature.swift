import Crypto
import Foundation

/// The Standard Webhooks signature: `v1,` and base64 of HMAC-SHA256 over
/// `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the secret's decoded bytes.
public enum WebhookSignature {
    public static func sign(id: String, timestamp: Int, body: [UInt8], key: [UInt8]) -> String {
        var content = Array("\(id).\(timestamp).".utf8)
        content += body
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }
}
