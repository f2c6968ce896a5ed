import Foundation
import Unlearning

/// Checks on output paths before any work is done.
enum OutputPath {
  /// Fails early when `path` exists and `force` is not set, or its folder does not exist.
  static func checkWritable(_ path: String, force: Bool) throws {
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
      if isDirectory.boolValue { throw FileFormatError(.io, file: path, "is a directory, not a file") }
      if !force { throw FileFormatError(.fileExists, file: path, "already exists") }
    }
    let folder = url.deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw FileFormatError(.io, file: path, "the folder \(folder) does not exist")
    }
  }
}
