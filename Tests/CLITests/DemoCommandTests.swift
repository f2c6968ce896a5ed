import Foundation
import Testing

@Suite("unlearn demo (the built binary)")
struct DemoCommandTests {
  /// A small demo: seconds even in a debug build.
  let small = ["demo", "--m", "8", "--d", "150", "--width", "12", "--max-iterations", "3000", "--tolerance", "1e-2"]

  @Test("--help teaches: abstract, options and an example")
  func help() throws {
    let top = try CLIRunner.run(["--help"])
    #expect(top.status == 0 && top.stdout.contains("demo"))
    let r = try CLIRunner.run(["demo", "--help"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("Example") && r.stdout.contains("--forget") && r.stdout.contains("--json"))
  }

  @Test("A small demo prints both tables and the legend")
  func table() throws {
    let r = try CLIRunner.run(small)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("linear:") && r.stdout.contains("two-layer ReLU"))
    #expect(r.stdout.contains("unlearned (α=1) on S∖F") && r.stdout.contains("cos(unlearned, retrained)"))
    #expect(r.stdout.contains("complementary slackness"))
    #expect(!r.stdout.lowercased().contains("nan"))
  }

  @Test("--json prints the same results as JSON, deterministic across runs")
  func json() throws {
    let r = try CLIRunner.run(small + ["--json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let models = try #require(object?["models"] as? [[String: Any]])
    #expect(models.count == 2)
    let linear = models[0]
    let cos = try #require(linear["cos_unlearned_retrained"] as? Double)
    #expect(cos > 0.9 && cos <= 1)
    let rows = try #require(linear["rows"] as? [[String: Any]])
    #expect(rows.count == 5 && rows[0]["epsilon_relative"] is Double)
    // Same seed → same numbers (timings excluded).
    let again = try CLIRunner.run(small + ["--json"])
    func strip(_ s: String) -> String {
      s.split(separator: "\n").filter { !$0.contains("seconds") && !$0.contains("\"blas\"") }.joined(separator: "\n")
    }
    #expect(strip(again.stdout) == strip(r.stdout))
  }

  @Test("Bad flags give one clear line and a non-zero exit", arguments: [
    (["--forget", "99"], "out of range"),
    (["--forget", "a,b"], "'--forget <list>': \"a\" is not an integer (comma-separated integers"),
    (["--width", "0"], "--width"),
    (["--kappa", "-1"], "--kappa"),
    (["--tolerance", "-1"], "--tolerance"),
  ])
  func badFlags(extra: [String], message: String) throws {
    let r = try CLIRunner.run(["demo"] + extra)
    #expect(r.status != 0)
    #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
    #expect(!r.stderr.contains("Fatal error"))
  }

  @Test("The demo's numbers do not depend on OpenBLAS's thread count, on AVX2 kernels where they once did")
  func blasThreadCount() throws {
    // With OpenBLAS's own threading, OPENBLAS_NUM_THREADS = 1 and 2 gave other last bits on the Haswell
    // kernels at this size (cos_decomposition_retrained …542 against …543). Every call is single-threaded
    // now and products are tiled by shape, so the thread count cannot matter.
    let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let core = flags.contains(" avx2") && flags.contains(" fma") ? "Haswell" : "Prescott"
    let args = ["demo", "--json", "--m", "12", "--d", "300", "--width", "40"]
    func strip(_ s: String) -> String {
      s.split(separator: "\n").filter { !$0.contains("seconds") && !$0.contains("\"blas\"") }.joined(separator: "\n")
    }
    let outputs = try ["1", "2"].map { threads in
      let r = try CLIRunner.run(args, environment: ["OPENBLAS_CORETYPE": core, "OPENBLAS_NUM_THREADS": threads])
      #expect(r.status == 0, "stderr: \(r.stderr)")
      return strip(r.stdout)
    }
    #expect(!outputs[0].isEmpty && outputs[0] == outputs[1])
  }

  @Test("Generic OpenBLAS kernels trigger a re-execution with OPENBLAS_CORETYPE set, reported by --verbose")
  func reexecution() throws {
    // Without a kernel set of the user's (make test-kernels sets one for the whole suite).
    let r = try CLIRunner.run(small + ["--verbose"], environment: ["UNLEARN_BLAS_ASSUME_CORE": "Prescott"],
                              unsetting: ["OPENBLAS_CORETYPE", "UNLEARN_BLAS_REEXECUTED"])
    #expect(r.status == 0)
    let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    if flags.contains(" avx2") {
      #expect(r.stderr.contains("set by unlearn (OPENBLAS_CORETYPE="), "stderr: \(r.stderr.prefix(300))")
    }
    let user = try CLIRunner.run(small + ["--verbose"], environment: ["UNLEARN_BLAS_ASSUME_CORE": "Prescott", "OPENBLAS_CORETYPE": "Haswell"])
    #expect(user.stderr.contains("set by the user (OPENBLAS_CORETYPE=Haswell)"))
  }
}
