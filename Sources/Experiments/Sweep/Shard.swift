/// `--shard i/N`: the i-th (0-based) of N equal slices of a grid, taken round
/// robin so that slices get similar mixes of cheap and expensive points.
package struct Shard: Sendable, Equatable, CustomStringConvertible {
  package var index: Int
  package var count: Int

  package init(index: Int, count: Int) throws {
    guard count >= 1, index >= 0, index < count else {
      throw SweepError.invalidShard("shard \(index)/\(count): the index must lie in 0..<N with N ≥ 1")
    }
    self.index = index
    self.count = count
  }

  /// Parses `i/N`.
  ///
  /// - Throws: ``SweepError/invalidShard(_:)`` (usage) for other text or an index outside `0..<N`.
  package init(parsing text: String) throws {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
      throw SweepError.invalidShard("a shard is i/N, e.g. 0/4 (got \"\(text)\")")
    }
    try self.init(index: i, count: n)
  }

  /// Whether the point at position `k` of the grid belongs to this shard.
  package func contains(_ k: Int) -> Bool { k % count == index }

  package var description: String { "\(index)/\(count)" }
}
