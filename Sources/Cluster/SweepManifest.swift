import Foundation
import Unlearning
import Experiments

/// `DIR/sweep.json`: what a cluster sweep in `DIR` is (experiment, resolved
/// options, number of shards) and the jobs each submission created. A
/// re-submission must match the first three; the jobs tell whether the
/// previous submission is still queued.
package struct SweepManifest: Sendable, Codable, Equatable {
  /// The file name inside the sweep folder.
  package static let fileName = "sweep.json"

  /// One `sbatch` submission: the array job and the merge job that waits for it.
  package struct Submission: Sendable, Codable, Equatable {
    package var arrayJob: String
    package var mergeJob: String
    /// ISO 8601, UTC.
    package var submitted: String

    package init(arrayJob: String, mergeJob: String, submitted: String) {
      self.arrayJob = arrayJob
      self.mergeJob = mergeJob
      self.submitted = submitted
    }
  }

  package var experiment: String
  /// The resolved options (every default filled in; `experiment` set), as in each shard's `config.json`.
  package var options: ExperimentOptions
  package var shards: Int
  package var submissions: [Submission]

  package init(experiment: String, options: ExperimentOptions, shards: Int, submissions: [Submission] = []) {
    self.experiment = experiment
    self.options = options
    self.shards = shards
    self.submissions = submissions
  }

  /// The manifest in `folder`, or `nil` when there is none.
  package static func read(in folder: URL) throws -> SweepManifest? {
    let url = folder.appendingPathComponent(fileName)
    guard FileManager.default.fileExists(atPath: url.path) else { return nil }
    guard let data = try? Data(contentsOf: url), let manifest = try? JSONDecoder().decode(SweepManifest.self, from: data) else {
      throw ClusterError.notASweep("\(url.path): unreadable (not the manifest of a sweep?)")
    }
    return manifest
  }

  /// Writes the manifest atomically into `folder`.
  package func write(in folder: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try AtomicFile.write([UInt8](try encoder.encode(self)), to: folder.appendingPathComponent(Self.fileName), overwrite: true)
  }

  /// Throws ``ClusterError/sweepMismatch(_:)`` unless `other` is the same sweep
  /// (experiment, resolved options, shards) as this one, saved in `folder`.
  package func checkSameSweep(as other: SweepManifest, folder: URL) throws {
    let fix = "re-run it with the options it was started with (see \(folder.appendingPathComponent(Self.fileName).path)), or choose another folder"
    guard experiment == other.experiment else {
      throw ClusterError.sweepMismatch("\(folder.path) holds a \(experiment) sweep, not \(other.experiment): \(fix)")
    }
    guard shards == other.shards else {
      throw ClusterError.sweepMismatch("\(folder.path) holds a sweep split into \(shards) shards, not \(other.shards): \(fix)")
    }
    guard options == other.options else {
      throw ClusterError.sweepMismatch("\(folder.path) holds a \(experiment) sweep with other options: \(fix)")
    }
  }
}
