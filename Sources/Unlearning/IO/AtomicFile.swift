import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Crash-safe file replacement: a reader sees either the old file or the whole new one.
///
/// The bytes go to a temporary file in the target's directory
/// (`.NAME.tmp-PID-RANDOM`), which is flushed to disk (`fsync`) and then renamed
/// over the target; the directory is flushed too so the rename survives a crash.
/// The temporary file is removed on every failure.
public enum AtomicFile {
  /// Writes `bytes` to `url` atomically.
  ///
  /// When `overwrite` is false and the target exists, throws
  /// ``FileFormatError/Kind/fileExists`` ("X: already exists")
  /// and leaves it untouched (also when another process creates it meanwhile:
  /// the final step is then a hard link, which never replaces). Throws
  /// ``FileFormatError/Kind/io`` when the directory is missing or unwritable,
  /// the target is a directory, or the disk refuses the write.
  ///
  /// - Parameters:
  ///   - bytes: The whole new contents.
  ///   - url: The target, a file URL.
  ///   - overwrite: Whether an existing target may be replaced.
  /// - Throws: ``FileFormatError`` of kind `.fileExists` or `.io`, as above.
  /// - Complexity: O(`bytes.count`), plus two `fsync`s.
  public static func write(_ bytes: [UInt8], to url: URL, overwrite: Bool) throws {
    let name = FileFormatError.displayName(url)
    guard url.isFileURL else { throw FileFormatError(.io, file: name, "not a file URL") }
    let target = url.standardizedFileURL.path
    let directory = (target as NSString).deletingLastPathComponent
    let base = (target as NSString).lastPathComponent
    guard !base.isEmpty, base != "/" else { throw FileFormatError(.io, file: name, "not a file name") }

    var status = stat()
    if lstat(target, &status) == 0 {
      if (status.st_mode & S_IFMT) == S_IFDIR {
        throw FileFormatError(.io, file: name, "is a directory; cannot write a file there")
      }
      if !overwrite { throw exists(name) }
    }
    var dirStatus = stat()
    guard stat(directory, &dirStatus) == 0 else {
      let code = errno
      if code == ENOENT { throw FileFormatError(.io, file: name, "cannot write: directory \(directory) does not exist") }
      throw FileFormatError(.io, file: name, "cannot write: directory \(directory) is not accessible (\(describe(code)))")
    }
    guard (dirStatus.st_mode & S_IFMT) == S_IFDIR else {
      throw FileFormatError(.io, file: name, "cannot write: \(directory) is not a directory")
    }

    // Create the temporary file; O_EXCL makes its name ours alone.
    var temporary = ""
    var fd: Int32 = -1
    for _ in 0..<16 {
      let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
      temporary = directory + "/." + base + ".tmp-\(getpid())-" + suffix
      fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      if fd >= 0 || errno != EEXIST { break }
    }
    guard fd >= 0 else {
      let code = errno
      if code == EACCES || code == EPERM || code == EROFS {
        throw FileFormatError(.io, file: name, "cannot write: directory \(directory) is not writable (\(describe(code)))")
      }
      throw FileFormatError(.io, file: name, "cannot create a temporary file in \(directory) (\(describe(code)))")
    }
    var committed = false
    var isOpen = true
    defer {
      if isOpen { _ = close(fd) }
      if !committed { _ = unlink(temporary) }
    }

    // Write everything, retrying short writes and interruptions.
    try bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = posixWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          throw FileFormatError(.io, file: name, "cannot write (\(describe(errno)))")
        }
        offset += n
      }
    }
    guard fsync(fd) == 0 else { throw FileFormatError(.io, file: name, "cannot flush to disk (\(describe(errno)))") }
    isOpen = false
    guard close(fd) == 0 else { throw FileFormatError(.io, file: name, "cannot close (\(describe(errno)))") }

    if overwrite {
      guard rename(temporary, target) == 0 else {
        throw FileFormatError(.io, file: name, "cannot replace the file (\(describe(errno)))")
      }
      committed = true
    } else if link(temporary, target) == 0 {
      // The hard link is the commit; the temporary name goes.
      committed = true
      _ = unlink(temporary)
    } else {
      let code = errno
      if code == EEXIST { throw exists(name) }
      // File systems without hard links: re-check, then rename.
      guard code == EPERM || code == ENOTSUP || code == EOPNOTSUPP || code == EMLINK || code == ENOSYS else {
        throw FileFormatError(.io, file: name, "cannot create the file (\(describe(code)))")
      }
      if lstat(target, &status) == 0 { throw exists(name) }
      guard rename(temporary, target) == 0 else {
        throw FileFormatError(.io, file: name, "cannot create the file (\(describe(errno)))")
      }
      committed = true
    }

    // Make the rename durable. Some file systems refuse fsync on directories; that is not an error.
    let dirFD = open(directory, O_RDONLY | O_CLOEXEC)
    if dirFD >= 0 {
      _ = fsync(dirFD)
      _ = close(dirFD)
    }
  }

  private static func exists(_ name: String) -> FileFormatError {
    FileFormatError(.fileExists, file: name, "already exists")
  }

  private static func describe(_ code: Int32) -> String {
    String(cString: strerror(code))
  }
}

// `write` inside `AtomicFile` means the static method; this forwards to the C function.
@inline(__always)
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
