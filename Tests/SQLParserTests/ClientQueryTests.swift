import Testing

@testable import SQLParser

/// What MySQL's clients send unprompted: the `mysql` command line, Connector/J, PyMySQL and
/// mysqldump's scripts.
@Suite struct ClientQueryTests {
  static let queries = [
    "select @@version_comment limit 1",
    "select USER()",
    "SELECT DATABASE()",
    "/* mysql-connector-java-8.0.33 */SELECT  @@session.auto_increment_increment AS auto_increment_increment, @@character_set_client AS character_set_client, @@character_set_connection AS character_set_connection, @@transaction_isolation AS transaction_isolation, @@wait_timeout AS wait_timeout",
    "SHOW VARIABLES WHERE Variable_name ='language' OR Variable_name = 'net_write_timeout' OR Variable_name = 'interactive_timeout'",
    "SET NAMES utf8mb4",
    "SET character_set_results = NULL",
    "SET autocommit=1",
    "SET SQL_SELECT_LIMIT=DEFAULT",
    "SET AUTOCOMMIT = 0",
    "SELECT VERSION()",
    "show databases",
    "show tables",
    "SHOW FULL COLUMNS FROM `t` FROM `db` LIKE '%'",
    "SHOW SESSION VARIABLES LIKE 'lower_case_table_names'",
    "SELECT @@session.transaction_read_only",
    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
    "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;",
    "/*!40103 SET TIME_ZONE='+00:00' */;",
    "/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;",
    "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;",
    "/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;",
    "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `db` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */;",
    "DROP TABLE IF EXISTS `t`;",
    "/*!40101 SET @saved_cs_client     = @@character_set_client */;",
    """
    CREATE TABLE `t` (
      `id` int NOT NULL AUTO_INCREMENT,
      `name` varchar(64) COLLATE utf8mb4_bin DEFAULT NULL,
      `created_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
      PRIMARY KEY (`id`),
      UNIQUE KEY `name` (`name`),
      KEY `idx_created` (`created_at`)
    ) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
    """,
    "/*!40101 SET character_set_client = @saved_cs_client */;",
    "INSERT INTO `t` VALUES (1,'a','2020-01-01 00:00:00'),(2,'b\\'s',NULL);",
  ]

  @Test("the statements clients send on their own parse")
  func clientStatements() throws {
    for sql in ClientQueryTests.queries {
      do {
        _ = try SQLParser.parse(sql)
      } catch {
        Issue.record("\(sql): \(error)")
      }
    }
  }

  @Test("mysqldump's version comments keep what follows the version")
  func dumpTrees() throws {
    #expect(
      try statement("/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */")
        == .set(
          SetStatement(assignments: [
            .variable(.user("old_unique_checks"), .variable(.system("unique_checks", scope: nil))),
            .variable(.system("unique_checks", scope: nil), int(0)),
          ])))
    guard case .createTable(let create) = try statement(ClientQueryTests.queries[25]) else {
      throw ParseError.emptyQuery
    }
    #expect(create.options.contains(.autoIncrement(4)))
    #expect(create.columns[2].onUpdate == call("current_timestamp"))
  }
}
