import Foundation
import Testing

/// `unlearn reproduce --resume` survives SIGKILL at any moment.
@Suite("Crash safety of sweeps")
struct CrashSafetyTests {
  /// A small sweep whose points take tens of milliseconds.
  let sweep = ["reproduce", "two-layer-dimension", "--seeds", "10", "--m", "6", "--width", "8", "--dimensions", "40,80,160",
               "--max-iterations", "3000", "--tolerance", "0", "--threads", "2"]

  func stableRows(_ dir: URL) throws -> [String] {
    let text = try String(contentsOf: dir.appendingPathComponent("runs.csv"), encoding: .utf8)
    let lines = text.split(separator: "\n").map(String.init)
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
    let keep = header.indices.filter { !header[$0].hasPrefix("seconds") }
    return lines.map { line in
      let cells = line.split(separator: ",", omittingEmptySubsequences: false)
      return keep.map { String(cells[$0]) }.joined(separator: ",")
    }
  }

  @Test("Killed with SIGKILL 20 times at random moments, resumed each time: the final runs.csv equals an uninterrupted run's")
  func killAndResume() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-kill-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let reference = root.appendingPathComponent("reference")
    let ref = try CLIRunner.run(sweep + ["--out", reference.path])
    #expect(ref.status == 0, "\(ref.stderr)")

    var rng = SystemRandomNumberGenerator()
    var kills = 0
    var folders: [URL] = []
    // Kill until 20 runs have been killed mid-sweep; a sweep that completes first is resumed
    // to the end and checked, and a fresh one takes over (fast machines finish sooner).
    while kills < 20 && folders.count < 6 {
      let killed = root.appendingPathComponent("killed\(folders.count)")
      folders.append(killed)
      var attempt = 0
      while kills < 20 && attempt < 60 {
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = sweep + ["--out", killed.path] + (attempt == 0 ? [] : ["--resume"])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(UInt32.random(in: 10_000...150_000, using: &rng))
        if process.isRunning {
          kill(process.processIdentifier, SIGKILL)
          kills += 1
        }
        process.waitUntilExit()
        attempt += 1
        if process.terminationReason == .exit && process.terminationStatus == 0 { break }  // completed
      }
    }
    #expect(kills >= 20, "only \(kills) runs were still going when killed")
    let expected = try stableRows(reference)
    for killed in folders {
      let final = try CLIRunner.run(sweep + ["--out", killed.path, "--resume"])
      #expect(final.status == 0, "\(final.stderr)")
      let got = try stableRows(killed)
      #expect(got == expected)
      #expect(Set(got).count == got.count, "duplicated rows")
    }
  }

  @Test("The same sweep gives the same runs.csv with 1 or 2 BLAS threads and 1 or 2 concurrent runs")
  func threadCounts() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-threads-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    var outputs: [[String]] = []
    for (blas, runs) in [("1", "1"), ("2", "2"), ("2", "1")] {
      let dir = root.appendingPathComponent("b\(blas)r\(runs)")
      var args = sweep
      args[args.count - 1] = runs
      let r = try CLIRunner.run(args + ["--out", dir.path], environment: ["OPENBLAS_NUM_THREADS": blas])
      #expect(r.status == 0, "\(r.stderr)")
      outputs.append(try stableRows(dir))
    }
    #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
  }
}
