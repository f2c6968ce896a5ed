import Foundation
import Testing
import Unlearning

@Suite("Atomic file writes")
struct AtomicFileTests {
  func contents(_ dir: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
  }

  @Test("A new file is written whole, with no temporary file left behind")
  func newFile() throws {
    let dir = try IOTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("out.bin")
    let bytes = (0..<1_000_003).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    try AtomicFile.write(bytes, to: url, overwrite: false)
    #expect(try [UInt8](Data(contentsOf: url)) == bytes)
    #expect(try contents(dir) == ["out.bin"])
    let empty = dir.appendingPathComponent("empty.bin")
    try AtomicFile.write([], to: empty, overwrite: false)
    #expect(try Data(contentsOf: empty).isEmpty)
  }

  @Test("An existing file is kept without overwrite and replaced with it")
  func existing() throws {
    let dir = try IOTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("out.bin")
    try Data([1, 2, 3]).write(to: url)
    let error = #expect(throws: FileFormatError.self) { try AtomicFile.write([9], to: url, overwrite: false) }
    #expect(error?.kind == .fileExists)
    #expect(error?.description == "\(url.path): already exists")
    #expect(try [UInt8](Data(contentsOf: url)) == [1, 2, 3])
    #expect(try contents(dir) == ["out.bin"])

    try AtomicFile.write([4, 5], to: url, overwrite: true)
    #expect(try [UInt8](Data(contentsOf: url)) == [4, 5])
    #expect(try contents(dir) == ["out.bin"])
  }

  @Test("Relative paths are named as given")
  func relativePath() throws {
    let dir = try IOTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = URL(fileURLWithPath: "out.bin", relativeTo: URL(fileURLWithPath: dir.path, isDirectory: true))
    #expect(url.path == dir.path + "/out.bin")
    try AtomicFile.write([1], to: url, overwrite: false)
    #expect(IOTestSupport.message { try AtomicFile.write([1], to: url, overwrite: false) } == "out.bin: already exists")
    #expect(try contents(dir) == ["out.bin"])
  }

  @Test("Missing or unusable directories and directory targets are errors that say so")
  func badTargets() throws {
    let dir = try IOTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let missing = dir.appendingPathComponent("nowhere/out.bin")
    #expect(
      IOTestSupport.message { try AtomicFile.write([1], to: missing, overwrite: true) }
        == "\(missing.path): cannot write: directory \(dir.path)/nowhere does not exist")
    let file = dir.appendingPathComponent("file")
    try Data([0]).write(to: file)
    let underFile = file.appendingPathComponent("out.bin")
    #expect(
      IOTestSupport.message { try AtomicFile.write([1], to: underFile, overwrite: true) }
        == "\(underFile.path): cannot write: \(file.path) is not a directory")
    #expect(
      IOTestSupport.message { try AtomicFile.write([1], to: dir, overwrite: true) }
        == "\(dir.path): is a directory; cannot write a file there")
    #expect(try contents(dir) == ["file"])
  }

  @Test("An unwritable directory is reported (skipped when running as root, which may write anyway)")
  func unwritable() throws {
    let dir = try IOTestSupport.temporaryDirectory()
    defer {
      try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
      try? FileManager.default.removeItem(at: dir)
    }
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
    guard !FileManager.default.isWritableFile(atPath: dir.path) else {
      print("skipped: the directory stays writable for this user (root)")
      return
    }
    let url = dir.appendingPathComponent("out.bin")
    #expect(
      IOTestSupport.message { try AtomicFile.write([1], to: url, overwrite: false) }
        == "\(url.path): cannot write: directory \(dir.path) is not writable (Permission denied)")
    #expect(try contents(dir).isEmpty)
  }
}
