import GRPCCore
import GRPCNIOTransportHTTP2
import Security

/// A one-method gRPC service that answers each request with its own bytes: enough to see a
/// call get through a TLS server or be refused.
struct EchoService: RegistrableRPCService {
  static let method = MethodDescriptor(fullyQualifiedService: "tinykv.test.Echo", method: "Echo")

  static let peer = MethodDescriptor(fullyQualifiedService: "tinykv.test.Echo", method: "Peer")

  func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    router.registerHandler(
      forMethod: Self.method, deserializer: BytesCoder(), serializer: BytesCoder()
    ) { request, _ in
      StreamingServerResponse { writer in
        for try await message in request.messages { try await writer.write(message) }
        return [:]
      }
    }
    // What an interceptor would see: the transport's context carries the verified peer.
    router.registerHandler(
      forMethod: Self.peer, deserializer: BytesCoder(), serializer: BytesCoder()
    ) { request, context in
      for try await _ in request.messages {}
      let peer = (context.transportSpecific as? HTTP2ServerTransport.Posix.Context)?.peerCertificate
      let names = peer.map(CommonNameAllowList.names(of:)) ?? []
      return StreamingServerResponse(
        single: ServerResponse(message: Array(names.joined(separator: ",").utf8)))
    }
  }
}

/// Messages as raw bytes.
struct BytesCoder: MessageSerializer, MessageDeserializer {
  func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes {
    Bytes(message)
  }

  func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
    serializedMessageBytes.withUnsafeBytes { Array($0) }
  }
}
