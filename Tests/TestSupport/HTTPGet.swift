import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `GET http://127.0.0.1:<port><path>`: the status code and the body as text (for the
/// servers' status addresses).
public func httpGet(port: Int, _ path: String) async throws -> (status: Int, body: String) {
  guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else {
    throw TestFailure("bad path \(path)")
  }
  let (data, response) = try await URLSession.shared.data(from: url)
  return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}
