import RealModule

/// Approximate equality for the tests, by swift-numerics' `isApproximatelyEqual`.
///
/// `isClose(a, b, tolerance: t)` holds when `|a − b| ≤ max(t, t · max(|a|, |b|))`: relative to the larger
/// magnitude for numbers of size 1 and above, absolute below (where a relative test of a quantity that
/// should be 0 would ask for the impossible). Each call site states why its `t` is right.
public func isClose(_ a: Double, _ b: Double, tolerance t: Double) -> Bool {
  a.isApproximatelyEqual(to: b, absoluteTolerance: t, relativeTolerance: t)
}

/// `|a − b| ≤ t`: for quantities whose scale is known at the call site (a residual, a sum of unit size).
public func isClose(_ a: Double, _ b: Double, absolute t: Double) -> Bool {
  a.isApproximatelyEqual(to: b, absoluteTolerance: t)
}

/// `|a − b| ≤ t · max(|a|, |b|)`: relative only, for quantities bounded away from 0.
public func isClose(_ a: Double, _ b: Double, relative t: Double) -> Bool {
  a.isApproximatelyEqual(to: b, absoluteTolerance: 0, relativeTolerance: t)
}

/// Every pair of entries close in the sense of ``isClose(_:_:tolerance:)``.
public func allClose(_ a: [Double], _ b: [Double], tolerance t: Double) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { isClose($0, $1, tolerance: t) }
}
