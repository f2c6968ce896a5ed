import ArgumentParser
import Foundation
import LinearAlgebra
import Benchmarks

/// `unlearn bench`: the benchmark suite against the NumPy and PyTorch peers and the machine's dgemm peak.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Benchmark the audit, training and unlearning against NumPy/PyTorch peers and the machine's dgemm peak.",
    discussion: """
      Workloads W1–W7 (see docs/PERFORMANCE.md), each run several times (min and median), with the dgemm \
      peak measured in the same run and the peers of benchmarks/peer.py run side by side when their Python \
      is available (NumPy/SciPy via python3; PyTorch via the venv of benchmarks/setup-torch.sh, PEER_VENV, or an \
      importable torch). peer.py is looked up in UNLEARN_PEER, then as benchmarks/peer.py in the current \
      directory and the directories above it and above the executable. Ratios are ours : peer (below 1 = we are faster).

      Example:
        unlearn bench                 # all workloads
        unlearn bench --only W1,W5 --repeats 5 --json
      """)

  @Option(help: "Runs per workload (min and median are reported).")
  var repeats = 3
  @Option(help: ArgumentHelp("Workloads to run, comma-separated (W1…W6, W6a, W6b, W6c, W7).", valueName: "list"),
          transform: CommaSeparated<BenchWorkload>.parser)
  var only: CommaSeparated<BenchWorkload>?
  @Option(help: "Largest m of the W3 scaling workload (100, 1000, 10000).")
  var scalingMaxM = 10_000
  @Flag(help: "Do not run the Python peers.")
  var noPeers = false
  @Flag(help: "Print the results as JSON on stdout.")
  var json = false

  func validate() throws {
    guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1 (got \(repeats))") }
  }

  func run() throws {
    try CLIError.reporting {
      let ids = Set((only?.values ?? []).map(\.rawValue))
      let suite = BenchmarkSuite(repeats: repeats, only: ids, scalingMaxM: scalingMaxM, peers: noPeers ? nil : PeerRunner.discover())
      if !json {
        Terminal.error(BLASKernelSelection.summary)
        let p = suite.peers
        Terminal.error("peers: NumPy \(p?.numpyPython ?? "not found"), PyTorch \(p?.torchPython ?? "not found")")
      }
      let report = try suite.run { line in Terminal.error(line) }
      if json {
        print(try JSONOutput.encode(report))
        return
      }
      print("dgemm peak \(Format.fixed(report.dgemmPeakGFLOPS, 1)) GFLOP/s; \(report.blas)")
      let rows = report.workloads.map { w -> [String] in
        let peers = w.peers.map { "\($0.name) \(Format.fixed($0.seconds, 3)) s" + ($0.ratio.isFinite ? " (\(Format.ratio($0.ratio)))" : "") }
        return [w.id, Format.fixed(w.ours.min, 4), Format.fixed(w.ours.median, 4),
                w.gflops.map { Format.fixed($0, 1) } ?? "—", w.fractionOfPeak.map { "\(Int(($0 * 100).rounded())) %" } ?? "—",
                peers.isEmpty ? "—" : peers.joined(separator: "; "), w.met.map { $0 ? "met" : "missed" } ?? "n/a"]
      }
      print(Format.table(header: ["", "min s", "median s", "GFLOP/s", "of peak", "peers (ours : peer)", "target"], rows: rows))
      for w in report.workloads {
        print("\(w.id): \(w.description); target \(w.target)" + (w.notes.isEmpty ? "" : "; \(w.notes)"))
      }
    }
  }
}
