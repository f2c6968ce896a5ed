/// What `unlearn bench` measured (its `--json`).
package struct BenchmarkReport: Sendable, Codable {
  /// One peer's time on a workload and the ratio ours : peer.
  package struct Peer: Sendable, Codable {
    package var name: String
    package var seconds: Double
    /// Our min time divided by the peer's (< 1: we are faster).
    package var ratio: Double
  }

  /// One workload.
  package struct Workload: Sendable, Codable {
    package var id: String
    package var description: String
    package var ours: BenchmarkTiming
    /// Floating-point operations of one run (the dominant products), when countable.
    package var flops: Double?
    package var gflops: Double?
    /// Achieved GFLOP/s over the machine's measured dgemm peak.
    package var fractionOfPeak: Double?
    package var peakMemoryMiB: Double?
    package var peers: [Peer]
    package var target: String
    /// Whether the target was met (nil when its peer was not available).
    package var met: Bool?
    package var notes: String
  }

  package var blasCore: String
  package var blasThreads: Int
  package var blas: String
  package var dgemmPeakGFLOPS: Double
  package var workloads: [Workload]
}
