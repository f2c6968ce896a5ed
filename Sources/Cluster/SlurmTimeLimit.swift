import Foundation

/// A Slurm wall-clock limit (`#SBATCH --time`): `HH:MM:SS` or `D-HH:MM:SS`.
package struct SlurmTimeLimit: Sendable, Equatable, CustomStringConvertible {
  /// The limit in seconds.
  package var seconds: Int

  /// Parses `HH:MM:SS` (hours may exceed 23) or `D-HH:MM:SS`; minutes and seconds below 60; more than 0 s.
  ///
  /// - Throws: ``ClusterError/invalidSetting(_:_:)`` of ``SweepSetting/timeLimit`` (usage) for any other text.
  package init(parsing text: String) throws {
    let bad = ClusterError.invalidSetting(.timeLimit, "a time limit takes HH:MM:SS or D-HH:MM:SS, e.g. 02:00:00 or 1-12:00:00 (got \"\(text)\")")
    var rest = Substring(text)
    var days = 0
    if let dash = rest.firstIndex(of: "-") {
      guard let d = Int(rest[..<dash]), d >= 0, rest[..<dash].allSatisfy(\.isNumber) else { throw bad }
      days = d
      rest = rest[rest.index(after: dash)...]
    }
    let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 6 && $0.allSatisfy(\.isNumber) }),
          let h = Int(parts[0]), let m = Int(parts[1]), let s = Int(parts[2]),
          parts[1].count == 2, parts[2].count == 2, m < 60, s < 60, !(days > 0 && h >= 24)
    else { throw bad }
    seconds = ((days * 24 + h) * 60 + m) * 60 + s
    guard seconds > 0 else { throw ClusterError.invalidSetting(.timeLimit, "the time limit must be longer than 0 s (got \"\(text)\")") }
  }

  /// `D-HH:MM:SS` when a day or more, otherwise `HH:MM:SS`.
  package var description: String {
    let d = seconds / 86_400, h = seconds / 3600 % 24, m = seconds / 60 % 60, s = seconds % 60
    let hms = String(format: "%02d:%02d:%02d", d > 0 ? h : seconds / 3600, m, s)
    return d > 0 ? "\(d)-\(hms)" : hms
  }
}
