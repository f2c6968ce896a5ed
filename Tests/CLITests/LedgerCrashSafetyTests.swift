import Foundation
import Testing

/// `unlearn ledger apply` survives SIGKILL at any moment: re-run until done, it ends where an uninterrupted
/// apply ends, and the ledger verifies after every kill.
@Suite("Crash safety of the deletion ledger")
struct LedgerCrashSafetyTests {
  /// splitmix64: the seeded kill moments.
  struct Seeded: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  @Test("apply of 50 requests killed with SIGKILL 20 times at seeded random moments, re-run until done: the same head model as an uninterrupted apply, and verify exits 0 after every kill")
  func killAndResume() throws {
    let clock = ContinuousClock()
    let started = clock.now
    let s = try LedgerScratch(m: 64, d: 1000)
    defer { s.remove() }
    // 50 requests: 43 forget one example, 7 forget two (57 of 64 examples).
    var lines: [String] = []
    var next = 0
    for k in 0..<50 {
      let count = k % 7 == 3 ? 2 : 1
      let ids = (next..<(next + count)).map { "\"\($0)\"" }.joined(separator: ", ")
      next += count
      lines.append("{\"request_id\": \"r\(k)\", \"forget\": [\(ids)]}")
    }
    try (lines.joined(separator: "\n") + "\n").write(toFile: s.path("requests.jsonl"), atomically: true, encoding: .utf8)

    #expect(try s.initLedger("reference").status == 0)
    let uninterrupted = try CLIRunner.run(["ledger", "apply", s.path("reference"), s.path("requests.jsonl")])
    #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")
    #expect(uninterrupted.stdout.hasSuffix("applied 50 requests, skipped 0; head is version 50\n"))
    #expect(try CLIRunner.run(["ledger", "export", s.path("reference"), "--out", s.path("reference.safetensors")]).status == 0)
    let expected = try Data(contentsOf: URL(fileURLWithPath: s.path("reference.safetensors")))
    let referenceSeconds = (clock.now - started)

    var rng = Seeded(state: 2026)
    var kills = 0, folders = 0, verifies = 0
    while kills < 20 && folders < 8 {
      let name = "killed\(folders)"
      folders += 1
      #expect(try s.initLedger(name).status == 0)
      var done = false
      var attempts = 0
      while !done && attempts < 200 {
        attempts += 1
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["ledger", "apply", s.path(name), s.path("requests.jsonl")]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(UInt32.random(in: 5_000...120_000, using: &rng))
        if kills < 20, process.isRunning {
          kill(process.processIdentifier, SIGKILL)
          process.waitUntilExit()
          if process.terminationReason == .uncaughtSignal {
            kills += 1
            let verify = try CLIRunner.run(["ledger", "verify", s.path(name)])
            verifies += 1
            #expect(verify.status == 0, "after kill \(kills): \(verify.stderr)")
          }
        } else {
          process.waitUntilExit()
          #expect(process.terminationStatus == 0)
          done = process.terminationStatus == 0
        }
      }
      #expect(done, "\(name) never completed")
      let final = try CLIRunner.run(["ledger", "apply", s.path(name), s.path("requests.jsonl")])
      #expect(final.stdout.hasSuffix("applied 0 requests, skipped 50; head is version 50\n"), "\(final.stdout)\(final.stderr)")
      let out = s.path("\(name).safetensors")
      #expect(try CLIRunner.run(["ledger", "export", s.path(name), "--out", out]).status == 0)
      #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == expected, "\(name): another head model")
      let verify = try CLIRunner.run(["ledger", "verify", s.path(name)])
      #expect(verify.status == 0 && verify.stdout.hasPrefix("verified 51 versions"), "\(verify.stderr)")
      // No orphan is left once a writer has run: one model file per version.
      let files = try FileManager.default.contentsOfDirectory(atPath: s.path("\(name)/models"))
      #expect(files.count == 51, "\(files.count) files in \(name)/models")
    }
    #expect(kills == 20, "only \(kills) applies were still running when killed")
    #expect(verifies == kills)
    print("ledger crash safety: reference apply of 50 requests \(referenceSeconds), \(kills) kills over \(folders) ledgers, total \(clock.now - started)")
  }
}
