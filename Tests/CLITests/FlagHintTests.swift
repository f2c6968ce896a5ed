import Testing
import Cluster
import Experiments
import Unlearning
@testable import unlearn

/// The CLI's one place that names flags for library errors (``FlagHint``, joined by ``CLIError/message(for:)``).
@Suite("Flag hints of library errors")
struct FlagHintTests {
  @Test("A remedy is appended after the library's message", arguments: [
    (FileFormatError(.fileExists, file: "m.safetensors", "already exists") as Error,
     "m.safetensors: already exists; pass --force to overwrite"),
    (FileFormatError(.invalidContents, file: "y.npy", "label 0 is 0; labels must be −1 or +1 (these labels are 0/1, which can be read as −1/+1)",
                     remedy: .zeroOneLabels),
     "y.npy: label 0 is 0; labels must be −1 or +1 (these labels are 0/1, which can be read as −1/+1); pass --zero-one-labels to map 0 → −1 and 1 → +1"),
    (UnlearningError.solverDidNotConverge(iterations: 3, relativeResidual: 0.5),
     "conjugate gradients did not converge: relative residual 0.5 after 3 iterations; for better conditioning, raise the L2 regularisation ρ (--l2)"),
    (SweepError.outputExists("runs.csv already exists: resume that sweep or start it over"),
     "runs.csv already exists: resume that sweep or start it over; pass --resume to continue that sweep or --force to start over"),
  ])
  func remedies(error: Error, line: String) {
    #expect(CLIError.message(for: error) == line)
  }

  @Test("The flag a setting error is about comes first", arguments: [
    (ClusterError.invalidSetting(.timeLimit, "a time limit takes HH:MM:SS") as Error, "--time: a time limit takes HH:MM:SS"),
    (ClusterError.invalidSetting(.shards, "5 shards are more"), "--shards: 5 shards are more"),
    (SweepError.invalidShard("a shard is i/N, e.g. 0/4 (got \"x\")"), "--shard: a shard is i/N, e.g. 0/4 (got \"x\")"),
    (UnlearningError.negativeStepCount(-2), "--steps: the number of steps k must be ≥ 0 (got -2)"),
    (UnlearningError.unfittableRegularization(fitted: -1), "--l2: the fitted L2 regularisation ρ is -1.0 (the model does not fit S); give ρ explicitly"),
  ])
  func flags(error: Error, line: String) {
    #expect(CLIError.message(for: error) == line)
  }

  @Test("Errors without a hint keep the library's message as it is")
  func noHint() {
    let error = DatasetError.invalidForgetSet("an index is repeated")
    #expect(CLIError.message(for: error) == "invalid forget set: an index is repeated")
  }

  @Test("A bad --shard is a usage error naming the flag")
  func badShard() throws {
    let r = try CLIRunner.run(["reproduce", "correlation", "--shard", "2of4", "--out", "/nonexistent/x"])
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.contains("--shard: a shard is i/N, e.g. 0/4 (got \"2of4\")"), "\(r.stderr)")
  }
}
