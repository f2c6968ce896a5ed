/// A setting of a cluster sweep's plan that a ``ClusterError/invalidSetting(_:_:)``
/// is about, so that a caller can point at its own name for it (a command line,
/// its flag).
package enum SweepSetting: String, Sendable, Equatable, CaseIterable {
  /// The number of array tasks (shards).
  case shards
  /// The CPUs of each task.
  case cpusPerTask
  /// The Slurm partition.
  case partition
  /// The wall-clock limit of each task.
  case timeLimit
  /// The sweep folder.
  case folder
}
