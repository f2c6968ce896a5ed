import Foundation
import Testing

@Suite("The test runner of the built binary")
struct CLIRunnerTests {
  @Test("A child that writes far more than a pipe's buffer to stderr is read to the end without deadlock")
  func largeStderr() throws {
    // A missing model file whose name has 100 000 characters: the one-line error names it on stderr (more
    // than the 64 KiB a pipe holds) while stdout stays open. Reading stdout to its end first would hang.
    let name = String(repeating: "x", count: 100_000)
    let r = try CLIRunner.run(["audit", "--model", name, "--x", "x.npy", "--y", "y.npy"])
    #expect(r.status == 74)
    #expect(r.stderr.utf8.count > 100_000)
  }
}
