import Foundation
import SparkLedgerCore
import SwiftProtobuf

/// The protobuf encoding of an envelope (schemas/execution_event.proto) and the contract's JSON
/// envelope it stands for. Decoding gives the JSON envelope that validation and storage take, so
/// a protobuf record and a JSON record of the same event store identically.
public enum ProtobufEnvelope {
    public static let contentType = "application/x-protobuf"

    typealias Envelope = Sparkledger_V1_ExecutionEvent

    /// A decoded envelope. `payloadError` is set when the payload bytes are not a message of the
    /// event type; the envelope then carries an empty payload and the event is invalid_payload
    /// unless an earlier check rejects it first.
    public struct Decoded: Sendable {
        public var envelope: JSONObject
        public var payloadError: String?
    }

    public struct NotProtobuf: Error, CustomStringConvertible {
        public var description: String
    }

    static let eventTypes: [(Sparkledger_V1_EventType, String)] = [
        (.submit, "SUBMIT"), (.running, "RUNNING"), (.state, "STATE"), (.metricsSummary, "METRICS_SUMMARY"),
        (.cancel, "CANCEL"), (.terminal, "TERMINAL"),
    ]

    static let sources: [(Sparkledger_V1_Source, String)] = [(.runner, "runner"), (.operator, "operator"), (.importer, "importer")]

    static let envelopeFields: [ProtobufField<Envelope>] = [
        .string("event_id", \.eventID, present: \.hasNonEmptyEventID),
        .string("execution_id", \.executionID, present: \.hasNonEmptyExecutionID),
        .enumeration("event_type", \.eventType, names: eventTypes),
        .int64("timestamp", \.timestamp, present: \.hasTimestamp),
        .enumeration("source", \.source, names: sources),
        .int64("schema_version", \.schemaVersion, present: \.hasSchemaVersion),
    ]

    /// Decodes one record value. Throws when the bytes are not an ExecutionEvent message at all.
    public static func decode(_ bytes: [UInt8]) throws(NotProtobuf) -> Decoded {
        let message: Envelope
        do {
            message = try Envelope(serializedBytes: bytes)
        } catch {
            throw NotProtobuf(description: "not an ExecutionEvent protobuf message: \(error)")
        }
        var envelope = ProtobufFields.object(message, envelopeFields)
        var payloadError: String?
        let payload: JSONObject
        do {
            payload = try decodePayload(message.payload, type: message.eventType)
        } catch {
            payload = JSONObject()
            payloadError = "payload is not a \(name(of: message.eventType)) protobuf message: \(error)"
        }
        envelope.set("payload", .object(payload))
        return Decoded(envelope: envelope, payloadError: payloadError)
    }

    /// The protobuf form of a JSON envelope, or nil when the envelope has no exact protobuf form
    /// (unknown members, values of the wrong type, an unknown event type...): decoding the result
    /// gives back exactly `envelope`.
    public static func encode(_ envelope: JSONObject) -> [UInt8]? {
        var message = Envelope()
        for member in envelope.members where member.key != "payload" {
            guard let field = envelopeFields.first(where: { $0.name == member.key }), field.write(&message, member.value) else { return nil }
        }
        guard case .object(let payload)? = envelope["payload"], let bytes = encodePayload(payload, type: message.eventType) else { return nil }
        message.payload = Data(bytes)
        guard let serialized: [UInt8] = try? message.serializedBytes(),
              let decoded = try? decode(serialized), decoded.payloadError == nil, decoded.envelope == envelope
        else { return nil }
        return serialized
    }

    static func name(of type: Sparkledger_V1_EventType) -> String {
        eventTypes.first { $0.0 == type }?.1 ?? "event type \(type.rawValue)"
    }

    /// An event type this build does not know gets an empty payload: validation rejects it by type.
    static func decodePayload(_ data: Data, type: Sparkledger_V1_EventType) throws -> JSONObject {
        switch type {
        case .submit: return ProtobufFields.object(try PayloadFields.Submit(serializedBytes: data), PayloadFields.submit)
        case .running: return ProtobufFields.object(try PayloadFields.Running(serializedBytes: data), PayloadFields.running)
        case .state: return ProtobufFields.object(try PayloadFields.State(serializedBytes: data), PayloadFields.state)
        case .metricsSummary: return ProtobufFields.object(try PayloadFields.Metrics(serializedBytes: data), PayloadFields.metricsSummary)
        case .cancel: return ProtobufFields.object(try PayloadFields.Cancel(serializedBytes: data), PayloadFields.cancel)
        case .terminal: return ProtobufFields.object(try PayloadFields.Terminal(serializedBytes: data), PayloadFields.terminal)
        case .unspecified, .UNRECOGNIZED: return JSONObject()
        }
    }

    static func encodePayload(_ payload: JSONObject, type: Sparkledger_V1_EventType) -> [UInt8]? {
        func serialized<M: SwiftProtobuf.Message>(_ message: M?) -> [UInt8]? {
            message.flatMap { try? $0.serializedBytes() }
        }
        switch type {
        case .submit: return serialized(ProtobufFields.message(payload, PayloadFields.submit))
        case .running: return serialized(ProtobufFields.message(payload, PayloadFields.running))
        case .state: return serialized(ProtobufFields.message(payload, PayloadFields.state))
        case .metricsSummary: return serialized(ProtobufFields.message(payload, PayloadFields.metricsSummary))
        case .cancel: return serialized(ProtobufFields.message(payload, PayloadFields.cancel))
        case .terminal: return serialized(ProtobufFields.message(payload, PayloadFields.terminal))
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }
}

extension Sparkledger_V1_ExecutionEvent {
    /// proto3 strings have no presence: the empty string stands for an absent member.
    var hasNonEmptyEventID: Bool { !eventID.isEmpty }
    var hasNonEmptyExecutionID: Bool { !executionID.isEmpty }
}
