import CRabbitMQ
import Foundation

/// The baseline: the same AMQP work as the runtime's no-op stage, written directly
/// against rabbitmq-c with nothing else — consume with prefetch, publish one message
/// per delivery with confirms, one wait for confirms and one multiple-ack per batch.
/// No parsing, no validation, no logging.
enum PlainLoop {
    /// Consumes `count` messages from `input`, publishes each body to `exchange` with
    /// `routingKey`, and returns when all are confirmed and acked.
    static func run(host: String, port: Int32, input: String, exchange: String, routingKey: String, count: Int, prefetch: UInt16) {
        let consumer = open(host: host, port: port)
        let publisher = open(host: host, port: port)
        amqp_confirm_select(publisher, 1)
        precondition(amqp_get_rpc_reply(publisher).reply_type == AMQP_RESPONSE_NORMAL)
        amqp_basic_qos(consumer, 1, 0, prefetch, 0)
        amqp_basic_consume(consumer, 1, amqp_cstring_bytes(input), amqp_empty_bytes, 0, 0, 0, amqp_empty_table)
        precondition(amqp_get_rpc_reply(consumer).reply_type == AMQP_RESPONSE_NORMAL)

        let exchangeName = strdup(exchange)!
        defer { free(exchangeName) }
        let routingKey = strdup(routingKey)!
        defer { free(routingKey) }
        let contentType = strdup("application/cloudevents+json")!
        defer { free(contentType) }
        var props = amqp_basic_properties_t()
        props._flags = UInt32(AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG)
        props.content_type = amqp_cstring_bytes(contentType)
        props.delivery_mode = 2

        var handled = 0
        var published: UInt64 = 0
        var confirmed: UInt64 = 0
        while handled < count {
            var batch = 0
            var lastTag: UInt64 = 0
            while batch < Int(prefetch) {
                var envelope = amqp_envelope_t()
                var wait = timeval(tv_sec: batch == 0 ? 1 : 0, tv_usec: 0)
                amqp_maybe_release_buffers(consumer)
                let reply = amqp_consume_message(consumer, &envelope, &wait, 0)
                guard reply.reply_type == AMQP_RESPONSE_NORMAL else { break }
                amqp_basic_publish(publisher, 1, amqp_cstring_bytes(exchangeName), amqp_cstring_bytes(routingKey), 0, 0, &props, envelope.message.body)
                published += 1
                lastTag = envelope.delivery_tag
                amqp_destroy_envelope(&envelope)
                batch += 1
            }
            guard batch > 0 else { continue }
            while confirmed < published {
                var frame = amqp_frame_t()
                precondition(amqp_simple_wait_frame(publisher, &frame) == 0)
                if frame.frame_type == UInt8(AMQP_FRAME_METHOD), frame.payload.method.id == AMQP_BASIC_ACK_METHOD {
                    let ack = frame.payload.method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                    confirmed = ack.multiple != 0 ? ack.delivery_tag : max(confirmed, ack.delivery_tag)
                }
            }
            amqp_basic_ack(consumer, 1, lastTag, 1)
            handled += batch
        }
        for state in [consumer, publisher] {
            amqp_channel_close(state, 1, Int32(AMQP_REPLY_SUCCESS))
            amqp_connection_close(state, Int32(AMQP_REPLY_SUCCESS))
            amqp_destroy_connection(state)
        }
    }

    private static func open(host: String, port: Int32) -> amqp_connection_state_t {
        let state = amqp_new_connection()!
        let socket = amqp_tcp_socket_new(state)
        precondition(amqp_socket_open(socket, host, port) == 0, "connect failed")
        precondition(pilot_amqp_login_plain(state, "/", 0, 131072, 30, "guest", "guest").reply_type == AMQP_RESPONSE_NORMAL)
        amqp_channel_open(state, 1)
        precondition(amqp_get_rpc_reply(state).reply_type == AMQP_RESPONSE_NORMAL)
        return state
    }
}
