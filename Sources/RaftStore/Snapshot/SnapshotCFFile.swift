import Foundation

/// One column family's data in a snapshot file: records `u32 key length, key, u32 value length,
/// value` (big-endian lengths) in key order. Written and read as a stream, so a region never
/// has to fit in memory.
package enum SnapshotCFFile {
  /// Streams records into a new file, tracking its size and checksum.
  package final class Writer {
    private let handle: FileHandle
    private var buffer = Data()
    private var checksum = CRC32()
    /// Bytes written so far.
    package private(set) var size: UInt64 = 0

    /// Creates (or truncates) the file at `path`.
    package init(path: String) throws {
      guard FileManager.default.createFile(atPath: path, contents: nil) else {
        throw SnapshotError("cannot create \(path)")
      }
      handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    /// Appends one key-value pair.
    package func append(key: Data, value: Data) throws {
      Self.appendLength(key.count, to: &buffer)
      buffer.append(key)
      Self.appendLength(value.count, to: &buffer)
      buffer.append(value)
      if buffer.count >= 64 << 10 { try flush() }
    }

    /// Writes what is buffered, syncs the file and closes it.
    /// - Returns: the file's size and CRC-32.
    package func finish() throws -> (size: UInt64, checksum: UInt32) {
      try flush()
      try handle.synchronize()
      try handle.close()
      return (size, checksum.value)
    }

    private func flush() throws {
      guard !buffer.isEmpty else { return }
      checksum.update(buffer)
      size += UInt64(buffer.count)
      try handle.write(contentsOf: buffer)
      buffer.removeAll(keepingCapacity: true)
    }

    private static func appendLength(_ length: Int, to data: inout Data) {
      withUnsafeBytes(of: UInt32(length).bigEndian) { data.append(contentsOf: $0) }
    }
  }

  /// Reads the records of a file front to back.
  package final class Reader {
    private let handle: FileHandle
    private var buffer = Data()
    private var offset = 0
    private var atEnd = false

    /// Opens the file at `path`.
    package init(path: String) throws {
      handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    }

    deinit { try? handle.close() }

    /// The next record, or nil at the end of the file.
    /// - Throws: `SnapshotError` if the file ends inside a record.
    package func next() throws -> (key: Data, value: Data)? {
      guard let keyLength = try length() else { return nil }
      let key = try bytes(keyLength)
      guard let valueLength = try length() else { throw SnapshotError("truncated record") }
      return (key, try bytes(valueLength))
    }

    private func length() throws -> Int? {
      guard try fill(4) else { return nil }
      let value = buffer[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
      offset += 4
      return value
    }

    private func bytes(_ count: Int) throws -> Data {
      guard try fill(count) else { throw SnapshotError("truncated record") }
      defer { offset += count }
      return Data(buffer[offset..<offset + count])
    }

    /// Makes `count` unread bytes available; false if the file ends first (and nothing is
    /// left over when `count` is a record's start).
    private func fill(_ count: Int) throws -> Bool {
      while buffer.count - offset < count && !atEnd {
        buffer = Data(buffer[offset...])
        offset = 0
        if let chunk = try handle.read(upToCount: max(64 << 10, count)), !chunk.isEmpty {
          buffer.append(chunk)
        } else {
          atEnd = true
        }
      }
      return buffer.count - offset >= count
    }
  }
}

/// A snapshot file that is missing, incomplete or corrupt.
package struct SnapshotError: Error, CustomStringConvertible {
  /// What is wrong.
  package var description: String
  /// An error saying `description`.
  package init(_ description: String) { self.description = description }
}
