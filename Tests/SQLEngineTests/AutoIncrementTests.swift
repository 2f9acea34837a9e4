import Testing

@testable import SQLEngine

/// AUTO_INCREMENT and hidden row ids under concurrent inserts.
@Suite struct AutoIncrementTests {
  @Test("concurrent sessions inserting with AUTO_INCREMENT: every insert succeeds, ids unique")
  func concurrentInserts() async throws {
    // Batches of 3: sessions run out of ids together all the time.
    let db = try SQLTestDatabase(idBatch: 3)
    try await db.exec(
      """
      CREATE DATABASE a; USE a;
      CREATE TABLE t (id BIGINT PRIMARY KEY AUTO_INCREMENT, worker INT);
      CREATE TABLE hidden (worker INT)
      """)
    let sessions = (0..<8).map { _ in UncheckedSession(session: db.newSession()) }
    for session in sessions { try await db.exec("USE a", in: session.session) }
    let perSession = 150
    try await withThrowingTaskGroup(of: Void.self) { group in
      for (worker, session) in sessions.enumerated() {
        group.addTask {
          for _ in 0..<perSession {
            let (_, error) = await session.session.execute(
              "INSERT INTO t (worker) VALUES (\(worker)); INSERT INTO hidden VALUES (\(worker))")
            if let error { throw error }
          }
        }
      }
      try await group.waitForAll()
    }
    let total = sessions.count * perSession
    #expect(
      try await db.rows("SELECT COUNT(*), COUNT(DISTINCT id) FROM t") == [["\(total)", "\(total)"]])
    #expect(try await db.rows("SELECT COUNT(*) FROM hidden") == [["\(total)"]])
  }

  @Test(
    "an explicit value moves the counter past it; LAST_INSERT_ID is the first id of a statement")
  func explicitValues() async throws {
    let db = try SQLTestDatabase()
    try await db.exec(
      "CREATE DATABASE a; USE a; CREATE TABLE t (id INT PRIMARY KEY AUTO_INCREMENT, v INT)")
    try await db.exec("INSERT INTO t (v) VALUES (1), (2)")
    #expect(try await db.rows("SELECT LAST_INSERT_ID()") == [["1"]])
    try await db.exec("INSERT INTO t VALUES (50, 3)")
    try await db.exec("INSERT INTO t (v) VALUES (4)")
    #expect(try await db.rows("SELECT id FROM t WHERE v = 4") == [["51"]])
  }
}
