extension Duration {
  /// The duration in seconds as a `Double` (attosecond resolution, to the precision of a double).
  ///
  /// - Complexity: O(1).
  public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
