import Foundation
import Testing
import Experiments
import Unlearning
@testable import unlearn
import Reporting
import Cluster
import Benchmarks

@Suite("Every error reaches its documented exit code")
struct ExitCodeTests {
  /// docs/ERRORS.md's table of classes.
  static let documented: [FailureClass: Int32] = [.usage: 64, .data: 65, .external: 69, .numerical: 70, .io: 74]

  @Test("Each failure class has its documented code")
  func classes() {
    for c in FailureClass.allCases { #expect(CLIError.exitCode(for: c) == Self.documented[c]) }
  }

  @Test("Library errors of every type reach their class's code, not a catch-all")
  func libraryErrors() {
    let cases: [(Error, Int32)] = [
      (UnlearningError.hessianNotPositiveDefinite(iteration: 3, curvature: -1), 70),
      (UnlearningError.solverDidNotConverge(iterations: 100, relativeResidual: 0.1), 70),
      (UnlearningError.singularGram(size: 4), 70),
      (KKTAuditError.notInterpolating(minMargin: -1, nonPositiveMargins: 1, examples: 4), 70),
      (KKTAuditError.invalidKappa(-1), 70),
      (DatasetError.invalidParameter("x"), 65),
      (SweepError.outputExists("x"), 74),
      (SweepError.invalidOption("x"), 64),
      (ClusterError.schedulerMissing("x"), 69),
      (ClusterError.notASweep("x"), 74),
      (ReportError.notADirectory("x"), 74),
      (ReportError.noExperiments([]), 65),
      (PeerError.failed("x"), 69),
      (CocoaError(.fileReadNoSuchFile), 74),
      (POSIXError(.EACCES), 74),
    ]
    for (error, code) in cases { #expect(CLIError.exitCode(for: error) == code, "\(error)") }
  }

  @Test("An error of no known class is an internal error (70), never the generic 1")
  func unclassified() {
    struct Unknown: Error {}
    #expect(CLIError.exitCode(for: Unknown()) == 70)
  }

  @Test("unlearn demo passes a numerical failure on as 70 with one line, not as 1")
  func demoNumerical() throws {
    // No training iterations: the initial network does not interpolate, so the audit is undefined.
    let r = try CLIRunner.run(["demo", "--max-iterations", "0"])
    #expect(r.status == 70, "\(r.stderr)")
    #expect(r.stderr.contains("error: ") && r.stderr.contains("does not interpolate"), "\(r.stderr)")
  }
}
