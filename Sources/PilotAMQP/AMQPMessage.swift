import CRabbitMQ

/// The basic properties we set and read. Unset fields are left out of the frame.
public struct AMQPProperties: Sendable, Equatable {
    public var contentType: String?
    public var messageID: String?
    public var type: String?
    public var correlationID: String?
    public var appID: String?
    /// Seconds since 1970.
    public var timestamp: UInt64?
    public var persistent: Bool
    public var headers: [(String, AMQPFieldValue)]

    public init(
        contentType: String? = nil, messageID: String? = nil, type: String? = nil,
        correlationID: String? = nil, appID: String? = nil, timestamp: UInt64? = nil,
        persistent: Bool = true, headers: [(String, AMQPFieldValue)] = []
    ) {
        self.contentType = contentType
        self.messageID = messageID
        self.type = type
        self.correlationID = correlationID
        self.appID = appID
        self.timestamp = timestamp
        self.persistent = persistent
        self.headers = headers
    }

    /// Bytes of the content header frame's payload these properties take: class, weight,
    /// body size and flags, then each property set. They must fit in one frame.
    public var encodedSize: Int {
        let strings = [contentType, messageID, type, correlationID, appID].reduce(0) { $0 + ($1.map { 1 + $0.utf8.count } ?? 0) }
        return 14 + strings + (timestamp == nil ? 0 : 8) + 1 + (headers.isEmpty ? 0 : AMQPFieldValue.encodedSize(of: headers))
    }

    /// The most a content header frame's payload may hold at the frame size this client
    /// asks for (128 KiB), less the frame's header and end octet. A broker with a smaller
    /// `frame_max` lowers it: see `AMQPConnection.propertiesLimit`.
    public static let frameLimit = propertiesLimit(frameMax: Int(AMQP_DEFAULT_FRAME_SIZE))

    /// The most properties a frame of `frameMax` bytes holds.
    static func propertiesLimit(frameMax: Int) -> Int { frameMax - 8 }

    public static func == (lhs: AMQPProperties, rhs: AMQPProperties) -> Bool {
        lhs.contentType == rhs.contentType && lhs.messageID == rhs.messageID && lhs.type == rhs.type
            && lhs.correlationID == rhs.correlationID && lhs.appID == rhs.appID
            && lhs.timestamp == rhs.timestamp && lhs.persistent == rhs.persistent
            && AMQPFieldValue.table(lhs.headers) == AMQPFieldValue.table(rhs.headers)
    }

    /// The value of header `name`, if present.
    public func header(_ name: String) -> AMQPFieldValue? {
        headers.first { $0.0 == name }?.1
    }

    func cValue(in arena: CArena) -> amqp_basic_properties_t {
        var props = amqp_basic_properties_t()
        var flags: UInt32 = 0
        func set(_ value: String?, _ flag: Int32, _ field: WritableKeyPath<amqp_basic_properties_t, amqp_bytes_t>) {
            guard let value else { return }
            props[keyPath: field] = arena.bytes(value)
            flags |= UInt32(flag)
        }
        set(contentType, AMQP_BASIC_CONTENT_TYPE_FLAG, \.content_type)
        set(messageID, AMQP_BASIC_MESSAGE_ID_FLAG, \.message_id)
        set(type, AMQP_BASIC_TYPE_FLAG, \.type)
        set(correlationID, AMQP_BASIC_CORRELATION_ID_FLAG, \.correlation_id)
        set(appID, AMQP_BASIC_APP_ID_FLAG, \.app_id)
        if let timestamp {
            props.timestamp = timestamp
            flags |= UInt32(AMQP_BASIC_TIMESTAMP_FLAG)
        }
        props.delivery_mode = persistent ? 2 : 1
        flags |= UInt32(AMQP_BASIC_DELIVERY_MODE_FLAG)
        if !headers.isEmpty {
            props.headers = arena.table(headers)
            flags |= UInt32(AMQP_BASIC_HEADERS_FLAG)
        }
        props._flags = flags
        return props
    }

    init(_ props: amqp_basic_properties_t) {
        let flags = props._flags
        func get(_ flag: Int32, _ bytes: amqp_bytes_t) -> String? {
            flags & UInt32(flag) != 0 ? String(amqpBytes: bytes) : nil
        }
        contentType = get(AMQP_BASIC_CONTENT_TYPE_FLAG, props.content_type)
        messageID = get(AMQP_BASIC_MESSAGE_ID_FLAG, props.message_id)
        type = get(AMQP_BASIC_TYPE_FLAG, props.type)
        correlationID = get(AMQP_BASIC_CORRELATION_ID_FLAG, props.correlation_id)
        appID = get(AMQP_BASIC_APP_ID_FLAG, props.app_id)
        timestamp = flags & UInt32(AMQP_BASIC_TIMESTAMP_FLAG) != 0 ? props.timestamp : nil
        persistent = flags & UInt32(AMQP_BASIC_DELIVERY_MODE_FLAG) != 0 && props.delivery_mode == 2
        headers = flags & UInt32(AMQP_BASIC_HEADERS_FLAG) != 0 ? AMQPFieldValue.fields(of: props.headers) : []
    }
}

/// A message received from a queue, copied out of rabbitmq-c's buffers.
public struct AMQPDelivery: Sendable {
    public var deliveryTag: UInt64
    public var redelivered: Bool
    public var exchange: String
    public var routingKey: String
    public var properties: AMQPProperties
    public var body: [UInt8]
    /// The most properties a copy may have (`AMQPProperties.encodedSize`) and still be
    /// published: the limit of the connection this came on, whose broker and frame size
    /// the publisher beside it shares.
    public var propertiesLimit: Int

    public init(
        deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String, properties: AMQPProperties,
        body: [UInt8], propertiesLimit: Int = AMQPProperties.frameLimit
    ) {
        self.deliveryTag = deliveryTag
        self.redelivered = redelivered
        self.exchange = exchange
        self.routingKey = routingKey
        self.properties = properties
        self.body = body
        self.propertiesLimit = propertiesLimit
    }
}
