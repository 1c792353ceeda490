/// The bytes of one JSON text as it is written, in a buffer only the writer holds.
///
/// Writing a state, an event or a document appends thousands of small pieces; an
/// `Array` checks on every append that its buffer is not shared and may need to grow.
/// Here an append is a capacity compare and a copy, and the buffer doubles when full.
struct JSONText: ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    /// The text written so far, as an array.
    consuming func bytes() -> [UInt8] {
        [UInt8](UnsafeBufferPointer(start: start, count: count))
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: 1) }
        start[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(toHold: bytes.count) }
        (start + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// An integer in decimal, written straight into the buffer.
    mutating func append(_ value: Int64) {
        if count + 20 > capacity { grow(toHold: 20) }
        var magnitude = value.magnitude
        if value < 0 {
            start[count] = UInt8(ascii: "-")
            count += 1
        }
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var position = count + digits - 1
        repeat {
            start[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            position -= 1
        } while magnitude > 0
        count += digits
    }

    private mutating func grow(toHold more: Int) {
        var newCapacity = capacity * 2
        while newCapacity < count + more { newCapacity *= 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        larger.initialize(from: start, count: count)
        start.deallocate()
        start = larger
        capacity = newCapacity
    }
}
