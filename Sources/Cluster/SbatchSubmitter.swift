import Foundation

/// Submits batch scripts with `sbatch --parsable` (found on `PATH`) and asks
/// `squeue` which jobs are still queued or running.
package struct SbatchSubmitter: Sendable {
  /// The environment the commands run in (and whose `PATH` is searched).
  package var environment: [String: String]

  package init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.environment = environment
  }

  /// The executable `name` on `PATH`, or `nil`.
  package func locate(_ name: String) -> URL? {
    let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":") where !folder.isEmpty {
      let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }

  /// `sbatch` on `PATH`, or ``ClusterError/schedulerMissing(_:)`` saying what to do instead.
  package func sbatch() throws -> URL {
    guard let url = locate("sbatch") else {
      throw ClusterError.schedulerMissing("sbatch not found on PATH: this is not a Slurm submit host (README: Running on a cluster); run the shards with another scheduler, or print the scripts without submitting them")
    }
    return url
  }

  /// Submits `script` (after the jobs in `afterOK`, when given) and returns the job id.
  /// A refusal becomes ``ClusterError/submissionRefused(_:)`` with sbatch's own message.
  package func submit(_ script: URL, afterOK: String? = nil) throws -> String {
    let sbatch = try sbatch()
    var arguments = ["--parsable"]
    if let afterOK { arguments.append("--dependency=afterok:\(afterOK)") }
    arguments.append(script.path)
    let result = try Self.run(sbatch, arguments, environment: environment)
    let what = "sbatch refused \(script.lastPathComponent)"
    guard result.status == 0 else {
      let message = result.stderr.isEmpty ? result.stdout : result.stderr
      throw ClusterError.submissionRefused("\(what) (exit \(result.status)): \(Self.oneLine(message))")
    }
    // --parsable prints "<job id>" or "<job id>;<cluster>".
    let first = result.stdout.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
    let id = String(first.split(separator: ";").first ?? "")
    guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
      throw ClusterError.submissionRefused("\(what): no job id in its output \"\(Self.oneLine(result.stdout + result.stderr))\"")
    }
    return id
  }

  /// The jobs of `ids` (array tasks included) that `squeue` lists as pending,
  /// running, configuring, completing or suspended: `"<id> <state>"` lines. Empty
  /// when `squeue` is missing or knows none of them.
  package func activeJobs(_ ids: [String]) -> [String] {
    guard !ids.isEmpty, let squeue = locate("squeue") else { return [] }
    let arguments = ["--noheader", "--jobs=\(ids.joined(separator: ","))",
                     "--states=PENDING,RUNNING,CONFIGURING,COMPLETING,SUSPENDED,REQUEUED,RESIZING",
                     "--format=%i %T"]
    guard let result = try? Self.run(squeue, arguments, environment: environment), result.status == 0 else { return [] }
    return result.stdout.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  /// Runs a command to completion and captures both streams.
  static func run(_ executable: URL, _ arguments: [String], environment: [String: String]) throws
    -> (status: Int32, stdout: String, stderr: String)
  {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw ClusterError.schedulerMissing("cannot run \(executable.path): \(error.localizedDescription)")
    }
    // Both streams are drained concurrently so that neither pipe can fill and block the child.
    let stderrData = LockedData()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      stderrData.set(err.fileHandleForReading.readDataToEndOfFile())
      group.leave()
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderrData.get(), as: UTF8.self))
  }

  static func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
  }
}

/// Data handed from a reader thread.
private final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()
  func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
  func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
