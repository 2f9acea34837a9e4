import Testing

@testable import SQLEngine

/// Transactions over SQL: snapshot isolation, statement atomicity, write conflicts answered
/// with a retryable error, unique keys across sessions.
@Suite struct TransactionTests {
  private func bank(_ db: SQLTestDatabase) async throws {
    try await db.exec(
      """
      CREATE DATABASE bank; USE bank;
      CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL);
      INSERT INTO accounts VALUES (1, 100), (2, 100)
      """)
  }

  @Test("BEGIN ... ROLLBACK leaves nothing; COMMIT keeps; others see it only after COMMIT")
  func commitAndRollback() async throws {
    let db = try SQLTestDatabase()
    try await bank(db)
    let other = db.newSession()
    try await db.exec("USE bank", in: other)
    try await db.exec("BEGIN; UPDATE accounts SET balance = 0 WHERE id = 1")
    #expect(try await db.rows("SELECT balance FROM accounts WHERE id = 1") == [["0"]])
    #expect(try await db.rows("SELECT balance FROM accounts WHERE id = 1", in: other) == [["100"]])
    try await db.exec("ROLLBACK")
    #expect(try await db.rows("SELECT balance FROM accounts WHERE id = 1") == [["100"]])
    try await db.exec("START TRANSACTION; UPDATE accounts SET balance = 50 WHERE id = 1; COMMIT")
    #expect(try await db.rows("SELECT balance FROM accounts WHERE id = 1", in: other) == [["50"]])
  }

  @Test("a snapshot: a transaction keeps reading what was there when it began")
  func snapshotReads() async throws {
    let db = try SQLTestDatabase()
    try await bank(db)
    let other = db.newSession()
    try await db.exec("USE bank", in: other)
    try await db.exec("BEGIN; SELECT * FROM accounts")
    try await db.exec("UPDATE accounts SET balance = 7 WHERE id = 2", in: other)
    #expect(try await db.rows("SELECT balance FROM accounts WHERE id = 2") == [["100"]])
    try await db.exec("COMMIT")
    #expect(try await db.rows("SELECT balance FROM accounts WHERE id = 2") == [["7"]])
  }

  @Test("two transactions writing one row: the second COMMIT fails with 9007, nothing lost")
  func writeConflict() async throws {
    let db = try SQLTestDatabase()
    try await bank(db)
    let other = db.newSession()
    try await db.exec("USE bank", in: other)
    try await db.exec("BEGIN; UPDATE accounts SET balance = balance - 10 WHERE id = 1")
    try await db.exec("BEGIN; UPDATE accounts SET balance = balance - 20 WHERE id = 1", in: other)
    try await db.exec("COMMIT")
    let error = await db.error("COMMIT", in: other)
    #expect(error?.code == 9007)
    #expect(error?.isRetryable == true)
    #expect(try await db.rows("SELECT balance FROM accounts WHERE id = 1") == [["90"]])
  }

  @Test("a failed statement inside a transaction undoes only itself")
  func statementAtomicity() async throws {
    let db = try SQLTestDatabase()
    try await bank(db)
    try await db.exec("BEGIN; INSERT INTO accounts VALUES (3, 1)")
    #expect(await db.error("INSERT INTO accounts VALUES (4, 1), (1, 1)")?.code == 1062)
    try await db.exec("COMMIT")
    #expect(try await db.rows("SELECT id FROM accounts ORDER BY id") == [["1"], ["2"], ["3"]])
  }

  @Test("autocommit = 0 keeps a transaction open until COMMIT")
  func autocommitOff() async throws {
    let db = try SQLTestDatabase()
    try await bank(db)
    let other = db.newSession()
    try await db.exec("USE bank", in: other)
    try await db.exec("SET autocommit = 0; UPDATE accounts SET balance = 1 WHERE id = 1")
    #expect(try await db.rows("SELECT balance FROM accounts WHERE id = 1", in: other) == [["100"]])
    try await db.exec("COMMIT")
    #expect(try await db.rows("SELECT balance FROM accounts WHERE id = 1", in: other) == [["1"]])
    // Turning autocommit back on commits what is open, even after an explicit BEGIN.
    try await db.exec("BEGIN; UPDATE accounts SET balance = 2 WHERE id = 1; SET autocommit = 1")
    #expect(try await db.rows("SELECT balance FROM accounts WHERE id = 1", in: other) == [["2"]])
  }

  @Test("concurrent transfers with retries keep the total; a unique key holds across sessions")
  func concurrentTransfers() async throws {
    let db = try SQLTestDatabase()
    try await bank(db)
    let sessions = (0..<4).map { _ in db.newSession() }
    for session in sessions { try await db.exec("USE bank", in: session) }
    try await withThrowingTaskGroup(of: Int.self) { group in
      for (worker, session) in sessions.enumerated() {
        let isolated = UncheckedSession(session: session)
        group.addTask {
          var done = 0
          for round in 0..<15 {
            let (from, to) = (worker + round) % 2 == 0 ? (1, 2) : (2, 1)
            while true {
              let (_, error) = await isolated.session.execute(
                """
                BEGIN; UPDATE accounts SET balance = balance - 3 WHERE id = \(from);
                UPDATE accounts SET balance = balance + 3 WHERE id = \(to); COMMIT
                """)
              if error == nil { break }
              guard error!.isRetryable else { throw error! }
              _ = await isolated.session.execute("ROLLBACK")
            }
            done += 1
          }
          return done
        }
      }
      var total = 0
      for try await done in group { total += done }
      #expect(total == 60)
    }
    #expect(try await db.rows("SELECT SUM(balance) FROM accounts") == [["200"]])
  }
}

/// A session handed to one task (the test gives each task its own).
struct UncheckedSession: @unchecked Sendable {
  let session: Session
}
