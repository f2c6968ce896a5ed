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
      (UnlearningError.nonFiniteResult(method: "neggrad"), 70),
      (UnlearningError.negativeStepCount(-1), 64),
      (UnlearningError.nonFiniteStepSize(.nan), 64),
      (UnlearningError.invalidRegularization(0), 64),
      (UnlearningError.unfittableRegularization(fitted: -1), 64),
      (UnlearningError.missingInitialization, 64),
      (UnlearningError.woodburyNeedsLinearModel, 64),
      (KKTAuditError.notInterpolating(minMargin: -1, nonPositiveMargins: 1, examples: 4), 70),
      (KKTAuditError.invalidKappa(-1), 70),
      (DatasetError.invalidParameter("x"), 65),
      (SweepError.outputExists("x"), 74),
      (SweepError.invalidOption("x"), 64),
      (ClusterError.schedulerMissing("x"), 69),
      (ClusterError.invalidSetting(.timeLimit, "x"), 64),
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

  /// A folder with a linear model that records no initialisation, and data on which its margins are all negative.
  static func misfitFiles() throws -> (dir: URL, data: [String]) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-exit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let data = try SyntheticData.generate(.isotropic, count: 6, dimension: 5, seed: 4).train
    let labels = (0..<data.count).map { data.features[$0, 0] > 0 ? -1.0 : 1.0 }
    let prefix = dir.appendingPathComponent("misfit").path
    try DatasetLoader.save(try Dataset(features: data.features, labels: labels), prefix: prefix, overwrite: false)
    try ModelFile.write(LinearModel(weights: [1, 0, 0, 0, 0]), metadata: ModelMetadata(loss: .logistic),
                        to: dir.appendingPathComponent("m.safetensors"), overwrite: false)
    return (dir, ["--model", dir.appendingPathComponent("m.safetensors").path, "--x", prefix + ".x.npy", "--y", prefix + ".y.npy",
                  "--forget", "1", "--certify", "none", "--out", dir.appendingPathComponent("u.safetensors").path])
  }

  @Test("Moved errors reach the CLI with their class's code and the flag hint: retrain without initialisation, an unfittable ρ (64), overflowing neggrad (70)")
  func movedErrors() throws {
    let (dir, args) = try Self.misfitFiles()
    defer { try? FileManager.default.removeItem(at: dir) }
    let retrain = try CLIRunner.run(["forget"] + args + ["--method", "retrain"])
    #expect(retrain.status == 64, "\(retrain.stderr)")
    #expect(retrain.stderr.contains("error: retrain needs the model's recorded initialisation (init_seed, init_scale) and training settings; models written by `unlearn train` record them"), "\(retrain.stderr)")
    let newton = try CLIRunner.run(["forget"] + args + ["--method", "newton"])
    #expect(newton.status == 64, "\(newton.stderr)")
    #expect(newton.stderr.contains("error: --l2: the fitted L2 regularisation ρ is ") && newton.stderr.contains("(the model does not fit S); give ρ explicitly"), "\(newton.stderr)")
    let neggrad = try CLIRunner.run(["forget"] + args + ["--method", "neggrad", "--steps", "20", "--ascent-learning-rate", "1e308"])
    #expect(neggrad.status == 70, "\(neggrad.stderr)")
    #expect(neggrad.stderr.contains("error: the parameters unlearned by neggrad are not finite"), "\(neggrad.stderr)")
    for r in [retrain, newton, neggrad] { #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)") }
  }

  @Test("unlearn demo passes a numerical failure on as 70 with one line, not as 1")
  func demoNumerical() throws {
    // No training iterations: the initial network does not interpolate, so the audit is undefined.
    let r = try CLIRunner.run(["demo", "--max-iterations", "0"])
    #expect(r.status == 70, "\(r.stderr)")
    #expect(r.stderr.contains("error: ") && r.stderr.contains("does not interpolate"), "\(r.stderr)")
  }
}
