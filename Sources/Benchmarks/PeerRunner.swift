import Unlearning
import Foundation

/// Runs the peer implementations (`benchmarks/peer.py`: NumPy/SciPy and
/// PyTorch) side by side, when their Python is available.
package struct PeerRunner: Sendable {
  /// Path of peer.py.
  package var script: String
  /// A python with NumPy and SciPy (nil when none).
  package var numpyPython: String?
  /// A python with PyTorch (nil when none).
  package var torchPython: String?

  /// Finds peer.py (`UNLEARN_PEER`, or `benchmarks/peer.py` in the working
  /// directory or up to three above it, or in a directory above the executable, such as
  /// the checkout that holds `.build/release/unlearn`) and the pythons: `python3`
  /// for NumPy, the venv of `benchmarks/setup-torch.sh` (`PEER_VENV`, default
  /// `~/.cache/peer-venv`) or any python that imports torch.
  package static func discover() -> PeerRunner? {
    let env = ProcessInfo.processInfo.environment
    let fm = FileManager.default
    var candidates = [env["UNLEARN_PEER"]].compactMap { $0 }
    var dir = URL(fileURLWithPath: fm.currentDirectoryPath)
    for _ in 0..<4 {
      candidates.append(dir.appendingPathComponent("benchmarks/peer.py").path)
      dir = dir.deletingLastPathComponent()
    }
    if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
      dir = executable.deletingLastPathComponent()
      for _ in 0..<6 {
        candidates.append(dir.appendingPathComponent("benchmarks/peer.py").path)
        dir = dir.deletingLastPathComponent()
      }
    }
    guard let script = candidates.first(where: { fm.fileExists(atPath: $0) }) else { return nil }
    func imports(_ python: String, _ modules: String) -> Bool {
      (try? run(python, ["-c", "import \(modules)"]))?.status == 0
    }
    let numpy = imports("python3", "numpy, scipy") ? "python3" : nil
    let venv = (env["PEER_VENV"] ?? (NSHomeDirectory() + "/.cache/peer-venv")) + "/bin/python"
    var torch: String? = nil
    if fm.isExecutableFile(atPath: venv), imports(venv, "torch, numpy, scipy") { torch = venv }
    else if imports("python3", "torch") { torch = "python3" }
    return PeerRunner(script: script, numpyPython: numpy, torchPython: torch)
  }

  /// Runs `peer.py arguments…` with `python`; returns its JSON output's `seconds`.
  package func seconds(_ python: String, _ arguments: [String]) throws -> Double {
    let result = try Self.run(python, [script] + arguments)
    guard result.status == 0,
          let line = result.output.split(separator: "\n").last,
          let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let seconds = object["seconds"] as? Double else {
      throw PeerError.failed("peer.py \(arguments.joined(separator: " ")) failed: \(result.output.suffix(300))")
    }
    return seconds
  }

  static func run(_ python: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}

/// A peer that could not be run.
package enum PeerError: Error, CustomStringConvertible {
  case failed(String)
  package var description: String {
    switch self { case .failed(let s): return s }
  }
}

extension PeerError: ClassifiedError {
  package var failureClass: FailureClass { .external }
}
