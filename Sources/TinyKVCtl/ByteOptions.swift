import ArgumentParser
import Foundation

/// How keys and values are read from the command line and printed: the flags the raw and txn
/// commands share.
struct ByteOptions: ParsableArguments {
  @Flag(help: "Read keys and values given on the command line as hex.")
  var hex = false

  @Flag(help: "Print keys and values as hex instead of escaped text.")
  var hexOutput = false

  /// `text` as bytes (UTF-8, or hex with `--hex`).
  func bytes(_ text: String) throws -> Data { try ByteText.parse(text, hex: hex) }

  /// `bytes` printable on one line (escaped, or hex with `--hex-output`).
  func show(_ bytes: Data) -> String {
    hexOutput ? ByteText.hex(bytes) : ByteText.escape(bytes)
  }

  /// Prints a value read, or says "not found" on stderr and exits with status 1.
  func printFound(_ value: Data?) throws {
    guard let value else {
      FileHandle.standardError.write(Data("not found\n".utf8))
      throw ExitCode(1)
    }
    print(show(value))
  }
}
