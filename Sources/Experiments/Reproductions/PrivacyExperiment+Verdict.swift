import Foundation

extension PrivacyExperiment {
  /// The statistics behind open question 2, on per-method means: which methods count, the family of
  /// Spearman correlations (3 certificates × 4 leakage measures) with raw and Holm-adjusted p, and the
  /// verdicts, all by rules fixed before the data (docs/MATH.md §11.4).
  package struct CorrelationFamily: Sendable, Equatable {
    /// One method's mean certificate errors and leakages.
    package struct Method: Sendable, Equatable {
      package var label: String
      /// Mean ε/‖θ‖, δ, τ — in the order of ``certificates``.
      package var certificates: [Double]
      /// |Yeom AUC − 0.5|, |U-LiRA AUC − 0.5|, KLoM, 1 − forgetting score — in the order of ``leakages``.
      package var leakages: [Double]

      package init(label: String, certificates: [Double], leakages: [Double]) {
        self.label = label
        self.certificates = certificates
        self.leakages = leakages
      }
    }

    /// One correlation of the family.
    package struct Cell: Sendable, Equatable {
      package var certificate: Int
      package var leakage: Int
      package var rho: Double
      package var p: Double
      /// Holm-adjusted over the family's finite p-values.
      package var holm: Double
      package var verdict: Verdict
    }

    package static let certificates = ["ε/‖θ‖", "δ", "τ"]
    /// The Yeom and U-LiRA leaks are |AUC − 0.5| (no `|` in the names: they head a Markdown table).
    package static let leakages = ["Yeom leak", "U-LiRA leak", "KLoM", "1 − forgetting score"]
    /// The family-wise level of the verdicts.
    package static let level = 0.05

    /// The methods that entered the correlations (the paper's step once).
    package var methods: [Method]
    /// The α of the paper's step that entered (`nil` when no `ga-kkt α=…` configuration was present).
    package var paperAlpha: Double?
    /// Certificate-major: `cells[c * 4 + l]`.
    package var cells: [Cell]

    /// The paper's step counts once: of the `ga-kkt α=…` labels (see ``alphaOfLabel(_:)``) only the one
    /// with α closest to 1 (α = 1 when it was run) enters; every other label enters as it is.
    ///
    /// - Complexity: O(methods).
    package static func countingAlphaOnce(_ methods: [Method]) -> (methods: [Method], alpha: Double?) {
      let alphas = methods.compactMap { alphaOfLabel($0.label) }
      guard let chosen = alphas.min(by: { abs($0 - 1) < abs($1 - 1) }) else { return (methods, nil) }
      return (methods.filter { alphaOfLabel($0.label).map { $0 == chosen } ?? true }, chosen)
    }

    /// α of a label `ga-kkt α=1.5`, `nil` for any other label.
    package static func alphaOfLabel(_ label: String) -> Double? {
      let prefix = "ga-kkt α="
      guard label.hasPrefix(prefix) else { return nil }
      return Double(label.dropFirst(prefix.count))
    }

    /// A correlation's verdict on "a smaller certificate error means less leakage": *held* when the
    /// Holm-adjusted p is below ``level`` and ρ > 0, *not held* when it is below ``level`` and ρ < 0,
    /// *not visible* otherwise, *untestable* when ρ is undefined.
    package static func verdict(rho: Double, holm: Double) -> Verdict {
      guard rho.isFinite, holm.isFinite else { return .untestable }
      guard holm < level else { return .notVisible }
      return rho > 0 ? .held : rho < 0 ? .notHeld : .notVisible
    }

    /// A certificate's verdict over its four leakage measures: *not held* when any is not held, *held*
    /// when any is held and none is not held, *untestable* when all are, *not visible* otherwise.
    package static func combined(_ verdicts: [Verdict]) -> Verdict {
      if verdicts.contains(.notHeld) { return .notHeld }
      if verdicts.contains(.held) { return .held }
      if !verdicts.isEmpty && verdicts.allSatisfy({ $0 == .untestable }) { return .untestable }
      return .notVisible
    }

    /// The family over `methods` (before counting α once): Spearman's ρ and its permutation p-value
    /// (``Statistics/spearmanPValue(_:_:permutations:seed:)``) for every certificate and leakage measure,
    /// Holm-adjusted together (``Statistics/holmAdjusted(_:)``), each with its ``verdict(rho:holm:)``.
    ///
    /// - Complexity: O(12 · P · M log M) for P permutations of M methods.
    package init(_ all: [Method], permutations: Int = 10_000) {
      (methods, paperAlpha) = Self.countingAlphaOnce(all)
      var raw: [(c: Int, l: Int, rho: Double, p: Double)] = []
      for c in Self.certificates.indices {
        for l in Self.leakages.indices {
          let x = methods.map { $0.certificates[c] }, y = methods.map { $0.leakages[l] }
          let rho = Statistics.spearman(x, y)
          raw.append((c, l, rho, rho.isFinite ? Statistics.spearmanPValue(x, y, permutations: permutations) : .nan))
        }
      }
      let holm = Statistics.holmAdjusted(raw.map(\.p))
      cells = zip(raw, holm).map { r, h in
        Cell(certificate: r.c, leakage: r.l, rho: r.rho, p: r.p, holm: h, verdict: Self.verdict(rho: r.rho, holm: h))
      }
    }

    /// The verdict of certificate `c` (``combined(_:)`` of its row).
    package func verdict(certificate c: Int) -> Verdict {
      Self.combined(cells.filter { $0.certificate == c }.map(\.verdict))
    }

    /// The cell of certificate `c` with the smallest raw p (the strongest evidence either way).
    package func strongest(certificate c: Int) -> Cell? {
      cells.filter { $0.certificate == c && $0.p.isFinite }.min { ($0.p, $0.leakage) < ($1.p, $1.leakage) }
    }
  }
}
