/// One data point of a ``PlotSeries``, with an optional vertical error bar.
///
/// The error bar runs from ``yLow`` (or `y − yError`) to ``yHigh`` (or
/// `y + yError`); give `yError` for a symmetric bar (e.g. one standard
/// deviation) and `yLow`/`yHigh` for an asymmetric one (e.g. a min–max range or
/// quantiles). A point whose `x` or `y` is not finite, or not positive on a
/// log axis, is skipped by the renderer, never drawn.
package struct PlotPoint: Sendable, Equatable, Codable {
  /// The horizontal coordinate, in data units.
  package var x: Double
  /// The vertical coordinate, in data units.
  package var y: Double
  /// Half the length of a symmetric error bar (`nil`: none).
  package var yError: Double?
  /// The lower end of the error bar; overrides `y − yError`.
  package var yLow: Double?
  /// The upper end of the error bar; overrides `y + yError`.
  package var yHigh: Double?

  /// A point at `(x, y)` with an optional symmetric error bar `y ± yError`.
  package init(x: Double, y: Double, yError: Double? = nil) {
    self.x = x
    self.y = y
    self.yError = yError
  }

  /// A point at `(x, y)` with an error bar from `yLow` to `yHigh`.
  package init(x: Double, y: Double, yLow: Double?, yHigh: Double?) {
    self.x = x
    self.y = y
    self.yLow = yLow
    self.yHigh = yHigh
  }

  /// The ends of the error bar `(low, high)` as given (possibly non-finite,
  /// or non-positive on a log axis), or `nil` when the point has none.
  package var errorBar: (low: Double, high: Double)? {
    let error = yError.flatMap { $0.isFinite ? abs($0) : nil }
    let low = yLow ?? error.map { y - $0 }
    let high = yHigh ?? error.map { y + $0 }
    guard low != nil || high != nil else { return nil }
    return (low ?? y, high ?? y)
  }
}
