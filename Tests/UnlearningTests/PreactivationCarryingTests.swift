import Foundation
import LinearAlgebra
import Testing
@testable import Unlearning

/// The paper's step from stored multipliers carries θ̂'s pre-activations on S∖F to θ_U by a rank-|F|
/// update (MATH.md §5.2) instead of a forward pass: checked against the forward pass itself, through a
/// chain of steps, through the file, and when the cache is wrong.
@Suite("Carried pre-activations")
struct PreactivationCarryingTests {
  /// A random two-layer network, data labelled by its own sign (so every margin is positive) and
  /// multipliers drawn at random, with `Ẑ` of θ̂ on the data: a record the step accepts.
  static func setting(seed: UInt64, trained: Bool) -> (model: TwoLayerReLUNetwork, data: Dataset, stored: StoredMultipliers) {
    var rng = SeededGenerator(seed: seed, stream: 9)
    let n = 4 + Int(seed % 5) * 3, d = 10 + Int(seed % 7) * 9, m = 8 + Int(seed % 4) * 3
    let model = TwoLayerReLUNetwork.initialized(width: n, dimension: d, trainsOutputLayer: trained, initScale: 1, seed: seed)
    // Rows drawn until the network's output on each is clearly away from 0 (a margin of 0 is no margin).
    var rows: [Double] = []
    while rows.count < m * d {
      let row = rng.gaussians(d, standardDeviation: 1)
      let out = model.forward(Matrix(rows: 1, columns: d, elements: row)).outputs[0]
      if abs(out) > 1e-3 { rows += row }
    }
    let x = Matrix(rows: m, columns: d, elements: rows)
    let outputs = model.forward(x).outputs
    let data = try! Dataset(features: x, labels: outputs.map { $0 >= 0 ? 1 : -1 })
    let gamma = model.margins(on: data).min()!
    let theta = model.scaled(by: 1 / gamma.power(1 / Double(model.homogeneityDegree)))
    let lambda = (0..<m).map { _ in Double.random(in: 0...0.3, using: &rng) }
    let stored = StoredMultipliers(values: lambda, kappa: 0.01, minMargin: gamma, dataFingerprint: "", parameterFingerprint: "",
                                   origin: .training, preactivations: theta.forward(x).preactivations)
    return (model, data, stored)
  }

  /// `max |a − b| / max |b|`.
  static func entrywise(_ a: Matrix, _ b: Matrix) -> Double {
    let scale = b.elements.map(abs).max() ?? 0
    return zip(a.elements, b.elements).map { abs($0 - $1) }.max()! / max(scale, .leastNormalMagnitude)
  }

  @Test("Seeded: the carried Z_U is θ_U's forward pass on S∖F to 1e-12, θ_U is the same bit for bit, and so are the carried λ")
  func carriedEqualsForward() throws {
    for seed in UInt64(1)...24 {
      let (model, data, stored) = Self.setting(seed: seed, trained: seed % 2 == 0)
      let forget = Array(Set([Int(seed) % data.count, Int(seed * 5) % data.count, Int(seed * 11) % data.count].prefix(1 + Int(seed % 3)))).sorted()
      let (retained, _) = try data.removing(forget)
      for alpha in [0.5, 1.0] {
        let step = GradientAscentUnlearning(alpha: alpha)
        let plain = try step.unlearn(model, stored: stored, data: data, forgetSet: forget)
        let (carrying, z) = try step.unlearn(model, stored: stored, data: data, forgetSet: forget, carryingTo: retained)
        #expect(carrying.parameters == plain.parameters, "seed \(seed): the carry must not change θ_U")
        let zU = try #require(z, "seed \(seed): the cache fits and agrees, so it is carried")
        let forward = plain.forward(retained.features).preactivations
        // Each entry is a length-d dot product either way, in another order: d·eps of the entries' scale ≪ 1e-12.
        #expect(Self.entrywise(zU, forward) < 1e-12, "seed \(seed)")
        let viaZ = stored.carried(to: plain, retained: retained, forgetSet: forget, bindsFingerprints: false, retainedPreactivations: zU)
        let viaForward = stored.carried(to: plain, retained: retained, forgetSet: forget, bindsFingerprints: false)
        #expect((viaZ == nil) == (viaForward == nil), "seed \(seed)")
        guard let a = viaZ, let b = viaForward else { continue }
        #expect(abs(a.minMargin - b.minMargin) <= 1e-12 * b.minMargin)
        #expect(Fixtures.relativeError(a.values, b.values) < 1e-12)
        #expect(Self.entrywise(try #require(a.preactivations), try #require(b.preactivations)) < 1e-12)
        // θ̂_U's pre-activations: Z_U / γ_U^{1/C}, so the smallest margin from them is 1.
        let normalized = plain.scaled(by: 1 / b.minMargin.power(1 / Double(plain.homogeneityDegree)))
        #expect(Self.entrywise(try #require(b.preactivations), normalized.forward(retained.features).preactivations) < 1e-12)
      }
    }
  }

  @Test("A cache that disagrees with the step's pass on F, or does not fit, is ignored: the step alone, the same θ_U")
  func wrongCacheIgnored() throws {
    let (model, data, stored) = Self.setting(seed: 7, trained: false)
    let (retained, _) = try data.removing([2])
    let plain = try GradientAscentUnlearning().unlearn(model, stored: stored, data: data, forgetSet: [2])
    var wrongRow = stored
    wrongRow.preactivations![2, 0] += 1e-6 * (abs(wrongRow.preactivations![2, 0]) + 1)
    var narrow = stored
    narrow.preactivations = Matrix(rows: data.count, columns: 1)
    var none = stored
    none.preactivations = nil
    for record in [wrongRow, narrow, none] {
      let (u, z) = try GradientAscentUnlearning().unlearn(model, stored: record, data: data, forgetSet: [2], carryingTo: retained)
      #expect(z == nil)
      #expect(u.parameters == plain.parameters)
    }
    #expect(!wrongRow.preactivationsAgree(with: model.scaled(by: 1 / stored.minMargin).forward(data.subset([2]).features).preactivations,
                                          forgetSet: [2]))
  }

  @Test("Through 12 sequential deletions of a trained network the carried pre-activations stay within 1e-11 of a fresh forward pass")
  func sequentialChain() throws {
    let data = Fixtures.isotropic(m: 24, d: 60, seed: 41)
    let initial = Fixtures.twoLayer(n: 12, d: 60, trained: false, seed: 42, scale: 0.01)
    let training = TrainingConfiguration(learningRate: 1, tolerance: 2e-2, auditInterval: 100, maxIterations: 4000)
    var model = try Trainer(training).train(from: initial, on: data).model
    var current = data
    var stored = StoredMultipliers(audit: try KKTAuditor().audit(model, on: data), model: model, data: data, origin: .training)
    #expect(stored.preactivations?.columns == 12)
    var carriedSteps = 0
    for _ in 0..<12 {
      let run = try UnlearningRun(model: model, data: current, forgetSet: [0], certifies: false, comparesToRetrained: false,
                                  stored: stored, carriesMultipliers: true)
      let outcome = try run.run(.gaKKT())
      #expect(run.multipliersSource == .stored)
      guard let next = outcome.carried else { break }
      let z = try #require(next.preactivations)
      let normalized = outcome.model.scaled(by: 1 / next.minMargin)
      #expect(Self.entrywise(z, normalized.forward(run.retained.features).preactivations) < 1e-11)
      #expect(abs(next.minMargin - outcome.model.margins(on: run.retained).min()!) <= 1e-12 * next.minMargin)
      (model, current, stored) = (outcome.model, run.retained, next)
      carriedSteps += 1
    }
    #expect(carriedSteps >= 6 && stored.carriedSteps == carriedSteps, "the chain should carry for several steps")
  }

  @Test("The file stores kkt_preactivations [m, n] and reads it back exactly, in both layouts; a wrong shape or a NaN is refused")
  func fileRoundTrip() throws {
    let (model, data, stored) = Self.setting(seed: 3, trained: true)
    var bound = stored
    bound.bindFingerprints(model: model, data: data)
    let file = ModelFile.encode(model, metadata: ModelMetadata(multipliers: bound))
    #expect(file.tensors["kkt_preactivations"]?.shape == [data.count, model.width])
    let (_, meta) = try ModelFile.decode(SafetensorsFile.parse(file.encode(), name: "m.safetensors"))
    #expect(meta.multipliers == bound)
    let base64 = try StoredMultipliers.tensors(base64Metadata: bound.base64Metadata())
    #expect(try StoredMultipliers(tensors: base64, metadata: bound.metadata()) == bound)
    func refused(_ tensor: SafetensorsTensor, _ expected: String) {
      var bad = file
      bad.tensors["kkt_preactivations"] = tensor
      #expect { _ = try ModelFile.decode(bad) } throws: { error in "\(error)".contains(expected) && !"\(error)".contains("\n") }
    }
    refused(SafetensorsTensor(Matrix(rows: data.count + 1, columns: 2)), "it must be [m, n]")
    var nan = bound.preactivations!
    nan[1, 1] = .nan
    refused(SafetensorsTensor(nan), "pre-activations are finite")
    var orphan = file
    orphan.tensors["kkt_multipliers"] = nil
    #expect { _ = try ModelFile.decode(orphan) } throws: { "\($0)".contains("kkt_multipliers is missing") }
  }

  @Test("forget's run carries the multipliers through the cache: the same λ as without it, Z_U the forward pass's")
  func runCarries() throws {
    let (model, data, stored) = Self.setting(seed: 11, trained: false)
    var bound = stored
    bound.bindFingerprints(model: model, data: data)
    var uncached = bound
    uncached.preactivations = nil
    func outcome(_ record: StoredMultipliers) throws -> UnlearningRun<TwoLayerReLUNetwork>.Outcome {
      let run = try UnlearningRun(model: model, data: data, forgetSet: [1, 4], auditor: KKTAuditor(kappa: 0.01), certifies: false, comparesToRetrained: false,
                                  stored: record, carriesMultipliers: true)
      let result = try run.run(.gaKKT())
      #expect(run.multipliersSource == .stored)
      return result
    }
    let fast = try outcome(bound), slow = try outcome(uncached)
    #expect(fast.model.parameters == slow.model.parameters)
    let a = try #require(fast.carried), b = try #require(slow.carried)
    #expect(Fixtures.relativeError(a.values, b.values) < 1e-12 && abs(a.minMargin - b.minMargin) <= 1e-12 * b.minMargin)
    let retained = try data.removing([1, 4]).retained
    let normalized = fast.model.scaled(by: 1 / b.minMargin)
    #expect(Self.entrywise(try #require(a.preactivations), normalized.forward(retained.features).preactivations) < 1e-12)
    // Without a cache in, none out: the choice of `train --no-preactivation-cache` survives forgetting.
    #expect(b.preactivations == nil)
  }
}
