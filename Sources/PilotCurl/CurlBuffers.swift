import CCurl

/// Feeds bytes to libcurl's read callback (`CURLOPT_READFUNCTION` with `CURLOPT_READDATA`):
/// a mail message, an object's body.
public final class CurlUploadSource {
    let bytes: [UInt8]
    var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public static let read: pilot_curl_data_callback = { buffer, size, count, userdata in
        guard let buffer, let userdata else { return 0 }
        let source = Unmanaged<CurlUploadSource>.fromOpaque(userdata).takeUnretainedValue()
        let n = min(size * count, source.bytes.count - source.offset)
        guard n > 0 else { return 0 }
        source.bytes.withUnsafeBufferPointer { all in
            UnsafeMutableRawPointer(buffer).copyMemory(from: all.baseAddress! + source.offset, byteCount: n)
        }
        source.offset += n
        return n
    }
}

/// Collects a response body from libcurl's write callback (`CURLOPT_WRITEFUNCTION` with
/// `CURLOPT_WRITEDATA`), up to `limit` bytes; past it the transfer is aborted
/// (`CURLE_WRITE_ERROR`) and `overflowed` is set.
public final class CurlResponseBody {
    public private(set) var bytes: [UInt8] = []
    public private(set) var overflowed = false
    let limit: Int

    public init(limit: Int) { self.limit = limit }

    public static let write: pilot_curl_data_callback = { data, size, count, userdata in
        guard let userdata else { return 0 }
        let body = Unmanaged<CurlResponseBody>.fromOpaque(userdata).takeUnretainedValue()
        let n = size * count
        guard body.bytes.count + n <= body.limit else {
            body.overflowed = true
            return 0
        }
        if let data { body.bytes += UnsafeRawBufferPointer(start: data, count: n) }
        return n
    }
}
