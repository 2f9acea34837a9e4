/// A packet that breaks the MySQL client/server protocol: cut short, too long, or with a field
/// out of its range. The server answers it with an error packet and closes the connection.
public struct MySQLProtocolError: Error, Equatable, CustomStringConvertible {
  public let description: String

  public init(_ description: String) { self.description = description }
}
