import Foundation
import LinearAlgebra
import PropertyBased
import TestSupport
import Testing
import Unlearning

/// Property-based tests (swift-property-based): random shapes, seeds and scales.
@Suite("Properties")
struct PropertyTests {
  /// Values that stress a float codec: signed zeros, subnormals, extremes, ordinary numbers.
  static func awkwardValues(_ count: Int, seed: UInt64) -> [Double] {
    var rng = SeededGenerator(seed: seed)
    let specials: [Double] = [0, -0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude, 1e-300, -7.5]
    return (0..<count).map { _ in rng.next() % 4 == 0 ? specials[Int(rng.next() % UInt64(specials.count))] : rng.nextGaussian() * 1e3 }
  }

  @Test("npy: encode then parse is the identity, bit for bit, for random 1-D and 2-D shapes")
  func npyRoundTrip() async {
    await propertyCheck(count: 150, input: Gen.int(in: 0...7), Gen.int(in: 0...7), Gen.bool, Gen.uint64(in: 0...1_000_000)) { rows, columns, vector, seed in
      let shape = vector ? [rows * columns] : [rows, columns]
      let values = Self.awkwardValues(rows * columns, seed: seed)
      let array = try! NumPyArray(shape: shape, values: values)
      let back = try! NpyFormat.parse(NpyFormat.encode(array), name: "p.npy")
      #expect(back.shape == shape)
      #expect(back.values.map(\.bitPattern) == values.map(\.bitPattern))
    }
  }

  @Test("safetensors: encode then parse is the identity for random sets of tensors (F64), and F32 rounds once")
  func safetensorsRoundTrip() async {
    await propertyCheck(count: 100, input: Gen.int(in: 1...4), Gen.uint64(in: 0...1_000_000)) { count, seed in
      var rng = SeededGenerator(seed: seed)
      var tensors: [String: SafetensorsTensor] = [:]
      for k in 0..<count {
        let shape = (0..<Int(rng.next() % 3)).map { _ in Int(rng.next() % 5) }
        let n = shape.reduce(1, *)
        tensors["t\(k)"] = try! SafetensorsTensor(shape: shape, values: Self.awkwardValues(n, seed: rng.next()).map { abs($0) > 1e30 ? 1 : $0 })
      }
      let file = SafetensorsFile(tensors: tensors, metadata: ["seed": String(seed)])
      let back = try! SafetensorsFile.parse(try! file.encode(), name: "p.safetensors")
      #expect(back.metadata == file.metadata)
      for (name, t) in tensors {
        #expect(back.tensors[name]?.shape == t.shape)
        #expect(back.tensors[name]?.values.map(\.bitPattern) == t.values.map(\.bitPattern))
      }
      let f32 = try! SafetensorsFile.parse(try! file.encode(dtype: .f32), name: "p32.safetensors")
      for (name, t) in tensors { #expect(f32.tensors[name]?.values == t.values.map { Double(Float($0)) }) }
    }
  }

  @Test("The audit is invariant to rescaling θ (homogeneity), for C = 1 and C = 2")
  func auditScaleInvariance() async {
    await propertyCheck(count: 25, input: Gen.double(in: 0.05...20), Gen.bool, Gen.uint64(in: 0...10_000)) { s, trained, seed in
      let model = Fixtures.twoLayer(n: 6, d: 15, trained: trained, seed: seed)
      let data = Fixtures.interpolated(by: model, m: 8, d: 15, seed: seed + 1)
      guard data.count == 8 else { return }
      let a = try! KKTAuditor(kappa: 0.05).audit(model, on: data)
      let b = try! KKTAuditor(kappa: 0.05).audit(model.scaled(by: s), on: data)
      #expect(abs(a.epsilonRelative - b.epsilonRelative) <= 1e-8 * max(a.epsilonRelative, 1e-6))
      #expect(abs(a.delta - b.delta) <= 1e-8 * max(abs(a.delta), 1))
      #expect(a.bandPairs == b.bandPairs)
    }
  }

  @Test("GA-KKT with α = 0 is the identity on θ̂, for both steps")
  func alphaZeroIsIdentity() async {
    await propertyCheck(count: 30, input: Gen.uint64(in: 0...10_000), Gen.int(in: 0...7)) { seed, r in
      let model = Fixtures.twoLayer(n: 5, d: 12, trained: seed % 2 == 0, seed: seed)
      let data = Fixtures.interpolated(by: model, m: 8, d: 12, seed: seed + 7)
      guard data.count == 8 else { return }
      let audit = try! KKTAuditor(kappa: 0.1).audit(model, on: data)
      for step in GradientAscentUnlearning.Step.allCases {
        let same = try! GradientAscentUnlearning(alpha: 0, step: step).unlearn(audit, data: data, forgetSet: [r])
        #expect(same.parameters == audit.normalizedModel.parameters)
      }
    }
  }

  @Test("Permuting the examples permutes the multipliers")
  func permutationEquivariance() async {
    await propertyCheck(count: 30, input: Gen.uint64(in: 0...10_000)) { seed in
      // m < d: J has full row rank, so λ is unique and must follow the examples.
      let model = LinearModel.initialized(dimension: 40, initScale: 1, seed: seed)
      let data = Fixtures.interpolated(by: model, m: 10, d: 40, seed: seed + 3)
      guard data.count == 10 else { return }
      var rng = SeededGenerator(seed: seed)
      let permutation = Array(0..<10).shuffled(using: &rng)
      let permuted = data.subset(permutation)
      let a = try! KKTAuditor().audit(model, on: data)
      let b = try! KKTAuditor().audit(model, on: permuted)
      for (k, i) in permutation.enumerated() {
        #expect(abs(b.multipliers[k] - a.multipliers[i]) <= 1e-9 * max(1, abs(a.multipliers[i])))
      }
    }
  }
}
