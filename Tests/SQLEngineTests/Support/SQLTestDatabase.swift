import Coprocessor
import Foundation
import Storage
import TestSupport

@testable import SQLEngine

/// A SQL session over a store in this process, in a fresh folder: what the SQL tests run
/// statements through.
final class SQLTestDatabase {
  let directory: TemporaryDirectory
  let storage: StandaloneStorage
  let domain: Domain
  let session: Session
  private var nextConnection: UInt32 = 1

  /// - Parameter idBatch: how many row ids a reservation takes (small ones make sessions run
  ///   out together).
  init(idBatch: Int64 = 1000) throws {
    directory = try TemporaryDirectory("sql")
    storage = try StandaloneStorage(path: directory.appending("store"))
    domain = Domain(store: ClientStore.local(storage: storage), idBatch: idBatch)
    session = Session(domain: domain, connectionID: 1)
  }

  /// Another session on the same store (another connection).
  func newSession() -> Session {
    nextConnection += 1
    return Session(domain: domain, connectionID: nextConnection)
  }

  /// Runs `sql`; throws the first statement's error.
  @discardableResult
  func exec(_ sql: String, in session: Session? = nil) async throws -> [StatementResult] {
    let (results, error) = await (session ?? self.session).execute(sql)
    if let error { throw error }
    return results
  }

  /// The rows of the last statement of `sql`, each value as text (NULL as nil).
  func rows(_ sql: String, in session: Session? = nil) async throws -> [[String?]] {
    let results = try await exec(sql, in: session)
    guard case .rows(_, let rows)? = results.last else { return [] }
    return rows.map { $0.map(Self.text) }
  }

  /// The error `sql` fails with; nil if it succeeds.
  func error(_ sql: String, in session: Session? = nil) async -> SQLError? {
    await (session ?? self.session).execute(sql).error
  }

  /// A value as the text protocol sends it.
  static func text(_ datum: Datum) -> String? {
    datum == .null ? nil : DatumText.text(datum)
  }
}
