import Foundation
import LinearAlgebra

extension StoredMultipliers {
  /// The tensor names of stored multipliers (MATH.md §8.2): `kkt_multipliers` `[m]`, for a
  /// non-empty band `kkt_band` `[b, 2]` (example, unit) and `kkt_kink_shares` `[b]`, and for a model that
  /// carries them (``preactivations``) `kkt_preactivations` `[m, n]`.
  public static let tensorNames: Set<String> = ["kkt_multipliers", "kkt_band", "kkt_kink_shares", "kkt_preactivations"]

  /// The metadata keys of stored multipliers (MATH.md §8.2).
  public static let metadataKeys: Set<String> = [
    "multipliers_kappa", "multipliers_min_margin", "multipliers_data_sha256", "multipliers_parameters_sha256",
    "multipliers_origin", "multipliers_carried_steps", "multipliers_audit_epsilon_relative",
  ]

  /// The tensors that store the multipliers.
  ///
  /// - Complexity: O(m + b), O(m n) with ``preactivations``.
  public func tensors() -> [String: SafetensorsTensor] {
    var t = ["kkt_multipliers": SafetensorsTensor(vector: values)]
    if !bandExamples.isEmpty {
      var pairs = [Double]()
      pairs.reserveCapacity(2 * bandExamples.count)
      for (i, j) in zip(bandExamples, bandUnits) { pairs += [Double(i), Double(j)] }
      t["kkt_band"] = SafetensorsTensor(Matrix(rows: bandExamples.count, columns: 2, elements: pairs))
      t["kkt_kink_shares"] = SafetensorsTensor(vector: kinkShares)
    }
    if let preactivations { t["kkt_preactivations"] = SafetensorsTensor(preactivations) }
    return t
  }

  /// The metadata keys that store the multipliers' provenance.
  ///
  /// - Complexity: O(1).
  public func metadata() -> [String: String] {
    var d = [
      "multipliers_kappa": String(kappa), "multipliers_min_margin": String(minMargin),
      "multipliers_data_sha256": dataFingerprint, "multipliers_parameters_sha256": parameterFingerprint,
      "multipliers_origin": origin.rawValue, "multipliers_carried_steps": String(carriedSteps),
    ]
    if let auditEpsilonRelative { d["multipliers_audit_epsilon_relative"] = String(auditEpsilonRelative) }
    return d
  }

  /// The multipliers stored in a model file's tensors and metadata, `nil` when there are none.
  ///
  /// - Throws: ``FileFormatError`` (`.invalidContents`, no file name) for a partial or malformed record:
  ///   a tensor without its keys or the reverse, a negative or non-finite multiplier, band pairs that are
  ///   not non-negative integers, shapes that do not match.
  /// - Complexity: O(m + b).
  public init?(tensors: [String: SafetensorsTensor], metadata d: [String: String]) throws {
    func fail(_ s: String) -> FileFormatError { FileFormatError(.invalidContents, file: nil, s) }
    let hasKeys = d.keys.contains { Self.metadataKeys.contains($0) }
    guard let lambda = tensors["kkt_multipliers"] else {
      if hasKeys || tensors["kkt_band"] != nil || tensors["kkt_kink_shares"] != nil || tensors["kkt_preactivations"] != nil {
        throw fail("stored multipliers are incomplete: tensor kkt_multipliers is missing")
      }
      return nil
    }
    guard lambda.shape.count == 1 else { throw fail("tensor kkt_multipliers has shape \(lambda.shape); it must be [m]") }
    if let k = lambda.values.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
      throw fail("tensor kkt_multipliers has \(lambda.values[k]) at [\(k)]; multipliers are finite and ≥ 0")
    }
    func key(_ name: String) throws -> String {
      guard let v = d[name] else { throw fail("stored multipliers are incomplete: metadata \(name) is missing") }
      return v
    }
    func number(_ name: String, positive: Bool = false) throws -> Double {
      let v = try key(name)
      guard let x = Double(v), x.isFinite, positive ? x > 0 : x >= 0 else {
        throw fail("metadata \(name) = \"\(v)\" is not \(positive ? "a positive number" : "a number ≥ 0")")
      }
      return x
    }
    let kappa = try number("multipliers_kappa")
    let gamma = try number("multipliers_min_margin", positive: true)
    let dataHash = try key("multipliers_data_sha256"), parameterHash = try key("multipliers_parameters_sha256")
    for (name, h) in [("multipliers_data_sha256", dataHash), ("multipliers_parameters_sha256", parameterHash)]
    where h.count != 64 || !h.allSatisfy(\.isHexDigit) {
      throw fail("metadata \(name) = \"\(h)\" is not a SHA-256 (64 hexadecimal digits)")
    }
    let originText = try key("multipliers_origin")
    guard let origin = Origin(rawValue: originText) else {
      throw fail("metadata multipliers_origin = \"\(originText)\" is not training, audit or carried")
    }
    let stepsText = d["multipliers_carried_steps"] ?? "0"
    guard let steps = Int(stepsText), steps >= 0 else {
      throw fail("metadata multipliers_carried_steps = \"\(stepsText)\" is not a non-negative integer")
    }
    let epsilon = try d["multipliers_audit_epsilon_relative"].map { _ in try number("multipliers_audit_epsilon_relative") }
    var examples: [Int] = [], units: [Int] = [], shares: [Double] = []
    switch (tensors["kkt_band"], tensors["kkt_kink_shares"]) {
    case (nil, nil): break
    case (let band?, let mu?):
      guard band.shape.count == 2, band.shape[1] == 2 else { throw fail("tensor kkt_band has shape \(band.shape); it must be [b, 2]") }
      guard mu.shape == [band.shape[0]] else {
        throw fail("tensor kkt_kink_shares has shape \(mu.shape) but kkt_band has \(band.shape[0]) pairs")
      }
      for t in 0..<band.shape[0] {
        let i = band.values[2 * t], j = band.values[2 * t + 1]
        guard i >= 0, j >= 0, i < Double(lambda.values.count), j < 1e9, i == i.rounded(), j == j.rounded() else {
          throw fail("tensor kkt_band has (\(i), \(j)) at [\(t)]; pairs are (example < \(lambda.values.count), unit) integers ≥ 0")
        }
        let share = mu.values[t]
        guard share.isFinite, share >= 0 else { throw fail("tensor kkt_kink_shares has \(share) at [\(t)]; shares are finite and ≥ 0") }
        examples.append(Int(i))
        units.append(Int(j))
        shares.append(share)
      }
    default:
      throw fail("stored multipliers are incomplete: kkt_band and kkt_kink_shares come together")
    }
    var z: Matrix? = nil
    if let t = tensors["kkt_preactivations"] {
      guard t.shape.count == 2, t.shape[0] == lambda.values.count, t.shape[1] >= 1 else {
        throw fail("tensor kkt_preactivations has shape \(t.shape); it must be [m, n] with m = \(lambda.values.count) (kkt_multipliers)")
      }
      if let k = t.values.firstIndex(where: { !$0.isFinite }) {
        throw fail("tensor kkt_preactivations has \(t.values[k]) at [\(k / t.shape[1]), \(k % t.shape[1])]; pre-activations are finite")
      }
      z = Matrix(rows: t.shape[0], columns: t.shape[1], elements: t.values)
    }
    self.init(values: lambda.values, bandExamples: examples, bandUnits: units, kinkShares: shares, kappa: kappa,
              minMargin: gamma, dataFingerprint: dataHash, parameterFingerprint: parameterHash, origin: origin,
              carriedSteps: steps, auditEpsilonRelative: epsilon, preactivations: z)
  }
}

extension StoredMultipliers {
  /// The `__metadata__` keys that hold the multiplier tensors in a PyTorch-layout file (MATH.md §8.5),
  /// where an extra tensor would make `load_state_dict(strict=True)` fail: `kkt_multipliers_base64`,
  /// `kkt_band_base64`, `kkt_kink_shares_base64`, each the tensor's little-endian F64 bytes in base64.
  public static let base64Keys: Set<String> = Set(tensorNames.map { $0 + "_base64" })

  /// The multiplier tensors as ``base64Keys`` metadata values (bit-exact).
  ///
  /// - Complexity: O(m + b).
  public func base64Metadata() -> [String: String] {
    var d: [String: String] = [:]
    for (name, t) in tensors() {
      var bytes: [UInt8] = []
      bytes.reserveCapacity(8 * t.values.count)
      for x in t.values { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
      d[name + "_base64"] = Data(bytes).base64EncodedString()
    }
    return d
  }

  /// The multiplier tensors stored as ``base64Keys`` metadata values (none when there are none):
  /// `kkt_multipliers` `[m]`, `kkt_band` `[b, 2]`, `kkt_kink_shares` `[b]`, `kkt_preactivations` `[m, n]`
  /// (`n` from the element count and `kkt_multipliers`' m).
  ///
  /// - Throws: ``FileFormatError`` (`.invalidContents`, no file name) for a value that is not base64
  ///   of whole F64 elements (or, for `kkt_band`, of pairs).
  /// - Complexity: O(m + b).
  public static func tensors(base64Metadata d: [String: String]) throws -> [String: SafetensorsTensor] {
    var out: [String: SafetensorsTensor] = [:]
    for name in tensorNames {
      guard let text = d[name + "_base64"] else { continue }
      guard let data = Data(base64Encoded: text), data.count % (name == "kkt_band" ? 16 : 8) == 0 else {
        throw FileFormatError(.invalidContents, file: nil, "metadata \(name)_base64 is not base64 of little-endian F64 values")
      }
      let bytes = [UInt8](data)
      var values: [Double] = []
      values.reserveCapacity(bytes.count / 8)
      for k in stride(from: 0, to: bytes.count, by: 8) {
        var bits: UInt64 = 0
        for b in 0..<8 { bits |= UInt64(bytes[k + b]) << (8 * UInt64(b)) }
        values.append(Double(bitPattern: bits))
      }
      let shape = name == "kkt_band" ? [values.count / 2, 2] : [values.count]
      out[name] = SafetensorsTensor(validatedShape: shape, values: values, dtype: .f64)
    }
    if let z = out["kkt_preactivations"] {
      let m = out["kkt_multipliers"]?.values.count ?? 0
      guard m > 0, z.values.count % m == 0, !z.values.isEmpty else {
        throw FileFormatError(.invalidContents, file: nil,
                              "metadata kkt_preactivations_base64 holds \(z.values.count) values, not a whole number of rows of m = \(m) (kkt_multipliers)")
      }
      out["kkt_preactivations"] = SafetensorsTensor(validatedShape: [m, z.values.count / m], values: z.values, dtype: .f64)
    }
    return out
  }
}
