import Foundation
import TestSupport
import Testing

/// Debian's `mysql` (mariadb-client) as a new user runs it against `tinysql-server` over a
/// 3-store cluster: a script on standard input, `--batch` and `--table` output, `-e` with exit
/// codes for errors. Outputs are compared exactly (EXPLAIN's plan only by its access path).
@Suite("SQLE2E: the mysql client against tinysql-server over a cluster", .serialized)
struct SQLE2EMySQLClientTests {
  /// What a new user types: a schema, rows, a join with aggregates, an update, a delete, a
  /// committed and a rolled-back transaction, SHOW TABLES, DESC.
  static let script = """
    CREATE DATABASE shop;
    USE shop;
    CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, city VARCHAR(20));
    CREATE TABLE orders (id INT PRIMARY KEY AUTO_INCREMENT, customer_id INT NOT NULL,
      amount INT NOT NULL, KEY k_customer (customer_id));
    INSERT INTO customers VALUES (1, 'alice', 'Paris'), (2, 'bob', 'Oslo'), (3, 'carol', NULL);
    INSERT INTO orders (customer_id, amount) VALUES (1, 30), (1, 12), (2, 7), (3, 100);
    SELECT c.name, COUNT(*) AS orders, SUM(o.amount) AS total
      FROM customers c JOIN orders o ON o.customer_id = c.id
      GROUP BY c.name ORDER BY c.name;
    UPDATE orders SET amount = amount + 1 WHERE customer_id = 1;
    DELETE FROM orders WHERE amount < 10;
    SELECT id, customer_id, amount FROM orders ORDER BY id;
    BEGIN;
    INSERT INTO customers VALUES (4, 'dave', 'Rome');
    COMMIT;
    BEGIN;
    DELETE FROM customers WHERE id = 1;
    UPDATE customers SET city = 'Lima' WHERE id = 2;
    ROLLBACK;
    SELECT id, name, city FROM customers ORDER BY id;
    SHOW TABLES;
    DESC customers;

    """

  /// `mysql --batch` prints each result's header and rows TAB-separated, NULL as `NULL`.
  static let expectedBatch = """
    name\torders\ttotal
    alice\t2\t42
    bob\t1\t7
    carol\t1\t100
    id\tcustomer_id\tamount
    1\t1\t31
    2\t1\t13
    4\t3\t100
    id\tname\tcity
    1\talice\tParis
    2\tbob\tOslo
    3\tcarol\tNULL
    4\tdave\tRome
    Tables_in_shop
    customers
    orders
    Field\tType\tNull\tKey\tDefault\tExtra
    id\tint\tNO\tPRI\tNULL\t
    name\tvarchar(20)\tNO\t\tNULL\t
    city\tvarchar(20)\tYES\t\tNULL\t

    """

  @Test(
    "a script through mysql --batch, --table output, EXPLAIN, and -e exit codes for errors",
    .enabled(
      if: SQLEndToEnd.mysqlPath != nil || ExternalClients.onCI,
      "no mysql client: apt-get install mariadb-client (scripts/install-deps.sh)"),
    .timeLimit(.minutes(3)))
  func newUserSession() async throws {
    try #require(SQLEndToEnd.mysqlPath != nil, "CI=true but no mysql on PATH")
    let cluster = try await ClientsCluster.start()
    defer { cluster.stop() }
    let server = try await SQLEndToEnd.startServer(
      overCluster: cluster.pd, directory: cluster.directory)
    defer { server.stop(signal: SIGKILL) }
    let port = server.port
    func mysql(_ arguments: [String], input: String? = nil) async throws -> SQLEndToEnd.Outcome {
      try await SQLEndToEnd.mysql(port: port, arguments, input: input)
    }

    // The script on standard input, as `mysql --batch < script.sql`.
    let batch = try await mysql(["--batch"], input: Self.script)
    #expect(batch.status == 0, "mysql --batch < script exited \(batch.status): \(batch.errors)")
    #expect(batch.errors == "", "standard error: \(batch.errors)")
    #expect(batch.output == Self.expectedBatch, "mysql --batch printed:\n\(batch.output)")

    // --table, after the script's UPDATE and DELETE: boxes, numbers right-aligned, NULL shown.
    let table = try await mysql([
      "--table", "-D", "shop", "-e",
      """
      SELECT c.name, COUNT(o.id) AS orders, SUM(o.amount) AS total FROM customers c \
      LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.name ORDER BY c.name; \
      SELECT id, name, city FROM customers WHERE city IS NULL OR id = 4 ORDER BY id
      """,
    ])
    #expect(table.status == 0, "\(table.errors)")
    #expect(
      table.output == """
        +-------+--------+-------+
        | name  | orders | total |
        +-------+--------+-------+
        | alice |      2 |    44 |
        | bob   |      0 |  NULL |
        | carol |      1 |   100 |
        | dave  |      0 |  NULL |
        +-------+--------+-------+
        +----+-------+------+
        | id | name  | city |
        +----+-------+------+
        |  3 | carol | NULL |
        |  4 | dave  | Rome |
        +----+-------+------+

        """, "mysql --table printed:\n\(table.output)")

    // EXPLAIN of a primary-key lookup: a plan that reads the one row by its handle.
    let explain = try await mysql([
      "--batch", "-D", "shop", "-e", "EXPLAIN SELECT * FROM customers WHERE id = 2",
    ])
    #expect(explain.status == 0, "\(explain.errors)")
    let explainLines = explain.output.split(separator: "\n")
    #expect(explainLines.first?.hasPrefix("id\t") == true, "EXPLAIN printed:\n\(explain.output)")
    #expect(
      explainLines.contains { $0.contains("Point_Get") && $0.contains("shop.customers") },
      "EXPLAIN printed:\n\(explain.output)")

    // -e: errors give exit status 1 and MySQL's message on standard error.
    let missing = try await mysql(["-D", "shop", "-e", "SELECT * FROM nope"])
    #expect(missing.status == 1)
    #expect(
      missing.errors.contains("ERROR 1146 (42S02) at line 1: Table 'shop.nope' doesn't exist"),
      "\(missing.errors)")
    let syntax = try await mysql(["-e", "SELEC 1"])
    #expect(syntax.status == 1)
    #expect(
      syntax.errors.contains("ERROR 1064 (42000) at line 1: You have an error in your SQL syntax"),
      "\(syntax.errors)")
    let unknownDatabase = try await mysql(["-D", "nosuchdb", "-e", "SELECT 1"])
    #expect(unknownDatabase.status == 1)
    #expect(
      unknownDatabase.errors.contains("ERROR 1049 (42000): Unknown database 'nosuchdb'"),
      "\(unknownDatabase.errors)")
    let duplicate = try await mysql([
      "-e", "INSERT INTO shop.customers VALUES (1, 'again', NULL)",
    ])
    #expect(duplicate.status == 1)
    #expect(
      duplicate.errors.contains(
        "ERROR 1062 (23000) at line 1: Duplicate entry '1' for key 'customers.PRIMARY'"),
      "\(duplicate.errors)")

    // An error stops a script there: the statement before it ran, the one after did not.
    let stopped = try await mysql([
      "-D", "shop", "-e",
      "INSERT INTO customers VALUES (10, 'erin', NULL); SELECT * FROM nope; "
        + "INSERT INTO customers VALUES (11, 'frank', NULL)",
    ])
    #expect(stopped.status == 1)
    #expect(stopped.errors.contains("ERROR 1146 (42S02) at line 1"), "\(stopped.errors)")
    let after = try await mysql([
      "--batch", "--skip-column-names", "-D", "shop", "-e",
      "SELECT id FROM customers WHERE id >= 10 ORDER BY id",
    ])
    #expect(after.status == 0, "\(after.errors)")
    #expect(after.output == "10\n", "rows after the stopped script: \(after.output)")

    let ok = try await mysql(["-e", "SELECT 1"])
    #expect(ok.status == 0 && ok.output == "1\n1\n", "\(ok.output)\(ok.errors)")
    #expect(server.isRunning, "tinysql-server exited:\n\(SQLEndToEnd.tail(server))")
  }
}
