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

/// Sends `method path` with `body` to `127.0.0.1:port` and returns the status and body (a
/// failpoint's `PUT /fail/<name>`, for instance).
public func httpRequest(
  port: Int, _ method: String, _ path: String, body: String = ""
) async throws -> (status: Int, body: String) {
  guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else {
    throw TestFailure("bad path \(path)")
  }
  var request = URLRequest(url: url)
  request.httpMethod = method
  request.httpBody = Data(body.utf8)
  let (data, response) = try await URLSession.shared.data(for: request)
  return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}
