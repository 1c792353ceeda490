import CRabbitMQ
#if canImport(Glibc)
import Glibc
#endif

/// Owns C copies of Swift strings and tables for the duration of one rabbitmq-c call.
///
/// `amqp_cstring_bytes(swiftString)` would point into a temporary that Swift frees
/// before the bytes are sent (the broker then sees "Malformed UTF-8 in shortstr").
/// Everything handed to rabbitmq-c is copied here and freed when the arena goes.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for pointer in allocations { free(pointer) }
    }

    func bytes(_ string: String) -> amqp_bytes_t {
        bytes(Array(string.utf8))
    }

    func bytes(_ data: [UInt8]) -> amqp_bytes_t {
        guard !data.isEmpty else { return amqp_empty_bytes }
        let pointer = malloc(data.count)!
        allocations.append(pointer)
        data.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: data.count) }
        return amqp_bytes_t(len: data.count, bytes: pointer)
    }

    func cString(_ string: String) -> UnsafePointer<CChar> {
        let pointer = strdup(string)!
        allocations.append(UnsafeMutableRawPointer(pointer))
        return UnsafePointer(pointer)
    }

    /// A field table whose entries live as long as the arena.
    func table(_ fields: [(String, AMQPFieldValue)]) -> amqp_table_t {
        guard !fields.isEmpty else { return amqp_empty_table }
        let entries = malloc(MemoryLayout<amqp_table_entry_t>.stride * fields.count)!
        allocations.append(entries)
        let typed = entries.bindMemory(to: amqp_table_entry_t.self, capacity: fields.count)
        for (index, (key, value)) in fields.enumerated() {
            typed[index] = amqp_table_entry_t(key: bytes(key), value: value.cValue(in: self))
        }
        return amqp_table_t(num_entries: Int32(fields.count), entries: typed)
    }

    /// A field array whose values live as long as the arena.
    func array(_ values: [AMQPFieldValue]) -> amqp_array_t {
        guard !values.isEmpty else { return amqp_array_t(num_entries: 0, entries: nil) }
        let entries = malloc(MemoryLayout<amqp_field_value_t>.stride * values.count)!
        allocations.append(entries)
        let typed = entries.bindMemory(to: amqp_field_value_t.self, capacity: values.count)
        for (index, value) in values.enumerated() { typed[index] = value.cValue(in: self) }
        return amqp_array_t(num_entries: Int32(values.count), entries: typed)
    }
}
