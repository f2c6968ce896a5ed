import Foundation

/// Runs the built `unlearn` binary and captures its output.
enum CLIRunner {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The `unlearn` binary next to the test bundle (same build configuration).
  static var binary: URL {
    let candidates = [
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("unlearn"),
      Bundle.main.bundleURL.appendingPathComponent("unlearn"),
      Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("unlearn"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
  }

  /// Runs the binary with this process's environment, `environment` added and the `unsetting` names removed.
  static func run(_ arguments: [String], environment: [String: String] = [:], unsetting: [String] = []) throws -> Result {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    for k in unsetting { env[k] = nil }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Drain both pipes at once, before waiting: reading one to its end first would deadlock on a child
    // that fills the other pipe's buffer (64 KiB) and blocks writing to it.
    let stderrBox = DrainedPipe()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { stderrBox.data = err.fileHandleForReading.readDataToEndOfFile() }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let stderr = stderrBox.data
    process.waitUntilExit()
    return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                  stderr: String(decoding: stderr, as: UTF8.self))
  }
}

/// The bytes read from one pipe on another thread (written once before the group is left, read after).
final class DrainedPipe: @unchecked Sendable {
  var data = Data()
}

