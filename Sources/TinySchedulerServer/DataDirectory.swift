import Foundation

/// Checks a data folder before RocksDB sees it, to say plainly what is wrong.
enum DataDirectory {
  /// Why `path` cannot hold the scheduler's state, or nil if it can (created if missing).
  static func problem(with path: String) -> String? {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
      guard isFolder.boolValue else { return "it exists and is not a folder" }
    } else {
      do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      } catch {
        return "it cannot be created (a file in the way, or no permission)"
      }
    }
    guard access(path, R_OK | W_OK | X_OK) == 0 else {
      return "it is not readable and writable: \(String(cString: strerror(errno)))"
    }
    return nil
  }
}
