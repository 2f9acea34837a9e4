import Engine
import Foundation
import TinyKVProto

/// A store's snapshot files, in one directory: one file per data column family for each
/// snapshot this store generated (`gen_<region>_<term>_<index>_<cf>.snap`) or received
/// (`rev_…`). Files are written under a unique temporary name and renamed into place complete,
/// so a name always holds a whole file. The caller creates the manager and passes it to
/// `RaftStore.init`; a transport streams files through the same object (``SnapshotFiles``).
public final class SnapshotManager: SnapshotFiles, Sendable {
  /// The directory holding the files.
  public let directory: String

  /// A manager over `directory`, created if missing; temporary files of an interrupted
  /// generation or transfer are removed.
  /// - Throws: if the directory cannot be created or listed.
  public init(directory: String) throws {
    self.directory = directory
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: directory)
    where name.hasSuffix(".tmp") {
      try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
    }
  }

  /// Which side of a transfer a snapshot's files belong to.
  package enum Kind: String, Sendable {
    /// Generated on this store, to send.
    case generated = "gen"
    /// Received from another store, to apply.
    case received = "rev"
  }

  /// The path of `key`'s file for column family `cf`.
  package func path(_ kind: Kind, _ key: SnapshotKey, _ cf: String) -> String {
    "\(directory)/\(kind.rawValue)_\(key)_\(cf).snap"
  }

  /// A fresh temporary path next to `path`.
  package func temporaryPath(for path: String) -> String {
    "\(path).\(UUID().uuidString).tmp"
  }

  /// Renames a complete (synced) temporary file to its final path, replacing any file there
  /// (atomic: a reader of the old file keeps reading the old file), and syncs the directory so
  /// the rename survives a power loss.
  package static func install(_ temporary: String, as final: String) throws {
    guard rename(temporary, final) == 0 else {
      throw SnapshotError("cannot rename \(temporary) to \(final): errno \(errno)")
    }
    let directory = open((final as NSString).deletingLastPathComponent, O_RDONLY)
    guard directory >= 0 else { throw SnapshotError("cannot open the directory of \(final)") }
    defer { close(directory) }
    guard fsync(directory) == 0 else {
      throw SnapshotError("cannot sync the directory of \(final)")
    }
  }

  /// Removes `kind` files of `regionID` whose snapshot index is below `index` (older
  /// snapshots, replaced or applied).
  package func remove(_ kind: Kind, regionID: UInt64, below index: UInt64) {
    let prefix = "\(kind.rawValue)_\(regionID)_"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return
    }
    for name in names where name.hasPrefix(prefix) && name.hasSuffix(".snap") {
      let parts = name.dropFirst(prefix.count).split(separator: "_")
      guard parts.count >= 2, let fileIndex = UInt64(parts[1]), fileIndex < index else { continue }
      try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
    }
  }

  /// The column-family files listed in a snapshot's data.
  package static func cfFiles(of snapshot: Eraftpb_Snapshot) throws -> [RaftServerpb_SnapshotCFFile]
  {
    try RaftServerpb_RaftSnapshotData(serializedBytes: snapshot.data).meta.cfFiles
  }

  // MARK: SnapshotFiles

  public func openForSending(_ key: SnapshotKey) throws -> any SnapshotSource {
    try FileSource(paths: ColumnFamily.data.map { path(.generated, key, $0.name) })
  }

  public func startReceiving(_ message: RaftServerpb_RaftMessage) throws -> any SnapshotSink {
    guard let key = SnapshotKey(message: message) else {
      throw SnapshotError("not a snapshot message: \(message.message.msgType)")
    }
    let files = try Self.cfFiles(of: message.message.snapshot)
    return try FileSink(
      files: files.map { file in
        let final = path(.received, key, file.cf)
        return (file, final, temporaryPath(for: final))
      })
  }
}

/// Reads a generated snapshot's files back to back.
private final class FileSource: SnapshotSource {
  let size: UInt64
  private var handles: [FileHandle]

  init(paths: [String]) throws {
    var size: UInt64 = 0
    var handles: [FileHandle] = []
    for path in paths {
      let attributes = try FileManager.default.attributesOfItem(atPath: path)
      size += (attributes[.size] as? NSNumber)?.uint64Value ?? 0
      // Opened now: a newer generation renaming over the path does not change what is sent.
      handles.append(try FileHandle(forReadingFrom: URL(fileURLWithPath: path)))
    }
    self.size = size
    self.handles = handles
  }

  deinit { for handle in handles { try? handle.close() } }

  func read(maxBytes: Int) throws -> Data? {
    while let handle = handles.first {
      if let chunk = try handle.read(upToCount: maxBytes), !chunk.isEmpty { return chunk }
      try handle.close()
      handles.removeFirst()
    }
    return nil
  }
}

/// Writes a received snapshot's bytes into one temporary file per column family (split by the
/// sizes in the snapshot's metadata), checks sizes and checksums, and renames them into place.
private final class FileSink: SnapshotSink {
  private typealias File = (meta: RaftServerpb_SnapshotCFFile, final: String, temporary: String)
  private let files: [File]
  private var current = 0
  private var written: UInt64 = 0
  private var checksum = CRC32()
  private var handle: FileHandle?

  init(files: [(RaftServerpb_SnapshotCFFile, String, String)]) throws {
    self.files = files.map { (meta: $0.0, final: $0.1, temporary: $0.2) }
    try open()
  }

  func write(_ chunk: Data) throws {
    var rest = chunk[...]
    do {
      while !rest.isEmpty {
        guard current < files.count, let handle else {
          throw SnapshotError("more bytes than the snapshot's files hold")
        }
        let take = Int(min(UInt64(rest.count), files[current].meta.size - written))
        let piece = rest.prefix(take)
        try handle.write(contentsOf: piece)
        checksum.update(piece)
        written += UInt64(take)
        rest = rest.dropFirst(take)
        try closeIfComplete()
      }
    } catch {
      abort()
      throw error
    }
  }

  func finish() throws {
    do {
      try closeIfComplete()
      guard current == files.count else {
        throw SnapshotError("snapshot incomplete: file \(current) of \(files.count)")
      }
      for file in files { try SnapshotManager.install(file.temporary, as: file.final) }
    } catch {
      abort()
      throw error
    }
  }

  func abort() {
    try? handle?.close()
    handle = nil
    for file in files { try? FileManager.default.removeItem(atPath: file.temporary) }
  }

  private func open() throws {
    guard current < files.count else { return }
    let path = files[current].temporary
    guard FileManager.default.createFile(atPath: path, contents: nil) else {
      throw SnapshotError("cannot create \(path)")
    }
    handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try closeIfComplete()
  }

  /// Closes the current file once all its bytes arrived, checks it, and opens the next.
  private func closeIfComplete() throws {
    guard current < files.count, written == files[current].meta.size, let handle else { return }
    try handle.synchronize()
    try handle.close()
    self.handle = nil
    let meta = files[current].meta
    guard checksum.value == meta.checksum else {
      throw SnapshotError("checksum mismatch in the \(meta.cf) file")
    }
    current += 1
    written = 0
    checksum = CRC32()
    try open()
  }
}
