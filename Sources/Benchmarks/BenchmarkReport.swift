/// What `unlearn bench` measured (its `--json`).
public struct BenchmarkReport: Sendable, Codable {
  /// One peer's time on a workload and the ratio ours : peer.
  public struct Peer: Sendable, Codable {
    public var name: String
    public var seconds: Double
    /// Our min time divided by the peer's (< 1: we are faster).
    public var ratio: Double
  }

  /// One workload.
  public struct Workload: Sendable, Codable {
    public var id: String
    public var description: String
    public var ours: BenchmarkTiming
    /// Floating-point operations of one run (the dominant products), when countable.
    public var flops: Double?
    public var gflops: Double?
    /// Achieved GFLOP/s over the machine's measured dgemm peak.
    public var fractionOfPeak: Double?
    public var peakMemoryMiB: Double?
    public var peers: [Peer]
    public var target: String
    /// Whether the target was met (nil when its peer was not available).
    public var met: Bool?
    public var notes: String
  }

  public var blasCore: String
  public var blasThreads: Int
  public var blas: String
  public var dgemmPeakGFLOPS: Double
  public var workloads: [Workload]
}
