import Foundation
import LinearAlgebra
import Testing
@testable import Unlearning

/// Multipliers stored with a model (MATH.md §5.1, §8.2): the file round trip, the step without an audit
/// against the step on the audit, the fingerprints, the carried multipliers' rescaling, warm starts.
@Suite("Stored multipliers")
struct StoredMultipliersTests {
  static let twoLayer: (model: TwoLayerReLUNetwork, data: Dataset, training: TrainingConfiguration) = {
    let data = Fixtures.isotropic(m: 12, d: 80, seed: 31)
    let initial = Fixtures.twoLayer(n: 16, d: 80, trained: false, seed: 32, scale: 0.01)
    let training = TrainingConfiguration(learningRate: 1, tolerance: 2e-2, auditInterval: 100, maxIterations: 4000)
    return (try! Trainer(training).train(from: initial, on: data).model, data, training)
  }()

  static let linear: (model: LinearModel, data: Dataset) = {
    let data = Fixtures.isotropic(m: 10, d: 60, seed: 33)
    let training = TrainingConfiguration(learningRate: 1, tolerance: 1e-4, auditInterval: 50, maxIterations: 4000)
    return (try! Trainer(training).train(from: LinearModel.initialized(dimension: 60, initScale: 0.01, seed: 34), on: data).model, data)
  }()

  @Test("A model file stores the multipliers and reads them back exactly, band included")
  func fileRoundTrip() throws {
    let (model, data, _) = Self.twoLayer
    let audit = try KKTAuditor().audit(model, on: data)
    #expect(audit.bandPairs > 0, "the fixture should have a kink band")
    let stored = StoredMultipliers(audit: audit, model: model, data: data, origin: .training)
    let metadata = ModelMetadata(loss: .exponential, initSeed: 4, multipliers: stored)
    let bytes = try ModelFile.encode(model, metadata: metadata).encode()
    let (back, meta) = try ModelFile.decode(SafetensorsFile.parse(bytes, name: "m.safetensors"))
    #expect(back.parameters == model.parameters)
    #expect(meta == metadata)
    #expect(meta.multipliers?.values == audit.multipliers && meta.multipliers?.kinkShares == audit.kinkShares)
    #expect(meta.extra.isEmpty, "the multipliers' keys are not left in extra")
  }

  @Test("A partial or malformed record is refused with a one-line reason")
  func malformedRecords() throws {
    let (model, data) = Self.linear
    let stored = StoredMultipliers(audit: try KKTAuditor().audit(model, on: data), model: model, data: data, origin: .audit)
    let good = ModelFile.encode(model, metadata: ModelMetadata(multipliers: stored))
    func refused(_ edit: (inout SafetensorsFile) throws -> Void, _ expected: String) throws {
      var file = good
      try edit(&file)
      #expect { _ = try ModelFile.decode(file) } throws: { error in
        "\(error)".contains(expected) && !"\(error)".contains("\n")
      }
    }
    try refused({ $0.tensors["kkt_multipliers"] = nil }, "kkt_multipliers is missing")
    try refused({ $0.metadata["multipliers_data_sha256"] = nil }, "multipliers_data_sha256 is missing")
    try refused({ $0.metadata["multipliers_origin"] = "guessed" }, "is not training, audit or carried")
    try refused({ $0.metadata["multipliers_min_margin"] = "-1" }, "is not a positive number")
    try refused({ $0.tensors["kkt_multipliers"] = SafetensorsTensor(vector: [-1] + stored.values.dropFirst()) }, "finite and ≥ 0")
    try refused({ $0.tensors["kkt_band"] = try SafetensorsTensor(shape: [1, 2], values: [0.5, 1]) }, "come together")
  }

  /// The step from stored multipliers is the step on the audit they came from (up to the order of one sum).
  func storedStepMatchesAuditStep<M: HomogeneousModel>(_ model: M, _ data: Dataset, forget: [Int]) throws {
    let audit = try KKTAuditor().audit(model, on: data)
    let stored = StoredMultipliers(audit: audit, model: model, data: data, origin: .training)
    for alpha in [0.5, 1.0] {
      let step = GradientAscentUnlearning(alpha: alpha)
      let fromAudit = try step.unlearn(audit, data: data, forgetSet: forget)
      let fromStored = try step.unlearn(model, stored: stored, data: data, forgetSet: forget)
      // Same terms, summed over F instead of over S with zero coefficients: a few ulps of ‖θ‖.
      #expect(Fixtures.relativeError(fromStored.parameters, fromAudit.parameters) < 1e-13)
    }
    let beta = GradientAscentUnlearning.stepSizes(model, stored: stored, data: data, forgetSet: forget, loss: .exponential)
    let expected = GradientAscentUnlearning.stepSizes(audit, forgetSet: forget, loss: .exponential)
    #expect(Fixtures.relativeError(beta, expected) < 1e-13)
    #expect(throws: UnlearningError.storedMultipliersNeedGradientStep) {
      try GradientAscentUnlearning(step: .decomposition).unlearn(model, stored: stored, data: data, forgetSet: forget)
    }
  }

  @Test("The step from stored multipliers equals the step on the audit (linear)")
  func stepLinear() throws { try storedStepMatchesAuditStep(Self.linear.model, Self.linear.data, forget: [2, 7]) }

  @Test("The step from stored multipliers equals the step on the audit (two-layer)")
  func stepTwoLayer() throws { try storedStepMatchesAuditStep(Self.twoLayer.model, Self.twoLayer.data, forget: [0, 5]) }

  @Test("The fingerprints bind the multipliers to one model, one data set and one κ")
  func mismatches() throws {
    let (model, data, _) = Self.twoLayer
    let stored = StoredMultipliers(audit: try KKTAuditor().audit(model, on: data), model: model, data: data, origin: .training)
    #expect(stored.mismatch(model: model, data: data, kappa: KKTAuditor.defaultKappa) == nil)
    #expect(stored.mismatch(model: model, data: data, kappa: 0)?.contains("κ") == true)
    var x = data.features
    x[3, 7] += 1e-12
    let nudged = try Dataset(features: x, labels: data.labels)
    #expect(stored.mismatch(model: model, data: nudged, kappa: KKTAuditor.defaultKappa)?.contains("the data differ") == true)
    var labels = data.labels
    labels.swapAt(0, 1)
    if labels != data.labels {
      #expect(stored.mismatch(model: model, data: try Dataset(features: data.features, labels: labels), kappa: KKTAuditor.defaultKappa) != nil)
    }
    var moved = model
    moved.addToParameters([Double](repeating: 0, count: model.parameters.count - 1) + [1e-12], scaledBy: 1)
    #expect(stored.mismatch(model: moved, data: data, kappa: KKTAuditor.defaultKappa)?.contains("parameters") == true)
    #expect(stored.mismatch(model: model, data: data.subset(Array(0..<11)), kappa: KKTAuditor.defaultKappa)?.contains("12 examples") == true)
  }

  /// The residual `R(θ, λ) = θ − Σ λ_i y_i ∇N(x_i; θ)` of any multipliers: the carried rescaling makes it
  /// homogeneous, `R(θ/s, λ s^{C−2}) = R(θ, λ) / s`, for every degree C (an exact identity; rounding only).
  @Test("The carried rescaling λ' = λ γ^{(C−2)/C} keeps the residual homogeneous (C = 1, 2, 3)")
  func carriedRescalingIdentity() throws {
    let data = Fixtures.isotropic(m: 8, d: 30, seed: 35)
    let models: [any HomogeneousModel] = [
      LinearModel.initialized(dimension: 30, initScale: 1, seed: 36),
      Fixtures.twoLayer(n: 6, d: 30, trained: true, seed: 37),
      DeepReLUNetwork.initialized(depth: 2, width: 5, dimension: 30, initScale: 1, seed: 38),
    ]
    let lambda = (0..<8).map { 0.1 + 0.05 * Double($0) }
    func check<M: HomogeneousModel>(_ model: M) {
      func residual(_ theta: M, _ l: [Double]) -> [Double] {
        let pass = theta.forward(data.features)
        let g = theta.outputGradientCombination(data.features, pass: pass, coefficients: zip(l, data.labels).map { $0 * $1 })
        return Vector.difference(theta.parameters, g)
      }
      let c = Double(model.homogeneityDegree)
      for gamma in [0.37, 2.9] {
        let s = Foundation.pow(gamma, 1 / c)
        let rescaled = lambda.map { $0 * Foundation.pow(gamma, (c - 2) / c) }
        let lhs = residual(model.scaled(by: 1 / s), rescaled)
        let rhs = residual(model, lambda).map { $0 / s }
        #expect(Fixtures.relativeError(lhs, rhs) < 1e-12, "C = \(model.homogeneityDegree), γ = \(gamma)")
      }
    }
    for model in models { check(model) }
  }

  @Test("Linear, exact KKT point: the carried multipliers make θ_U exactly stationary on S∖F")
  func carriedLinearExact() throws {
    let data = Self.linear.data
    let model = try MaxMarginSVM().solve(data).model
    let audit = try KKTAuditor().audit(model, on: data)
    #expect(audit.epsilonRelative < 1e-10)
    let stored = StoredMultipliers(audit: audit, model: model, data: data, origin: .audit)
    let r = try #require(audit.multipliers.indices.max { audit.multipliers[$0] < audit.multipliers[$1] })
    let unlearned = try GradientAscentUnlearning().unlearn(model, stored: stored, data: data, forgetSet: [r])
    let (retained, _) = try data.removing([r])
    let carried = try #require(stored.carried(to: unlearned, retained: retained, forgetSet: [r]))
    #expect(carried.origin == .carried && carried.carriedSteps == 1 && carried.values.count == data.count - 1)
    #expect(carried.mismatch(model: unlearned, data: retained, kappa: stored.kappa) == nil)
    // θ̂_U = θ_U/γ_U = Σ_{i∉F} λ'_i y_i x_i exactly (to rounding).
    let normalized = unlearned.scaled(by: 1 / carried.minMargin)
    let combination = normalized.outputGradientCombination(
      retained.features, pass: normalized.forward(retained.features), coefficients: zip(carried.values, retained.labels).map { $0 * $1 })
    #expect(Fixtures.relativeError(combination, normalized.parameters) < 1e-10)
    // So the audit of θ_U on S∖F finds ε ≈ 0 too, and the carried λ' among its optimal multipliers.
    let onRetained = try KKTAuditor().audit(unlearned, on: retained, startingFrom: carried)
    #expect(onRetained.epsilonRelative < 1e-9)
  }

  @Test("An audit started from carried multipliers certifies the same ε as a cold one (two-layer)")
  func warmStartSameOptimum() throws {
    let (model, data, _) = Self.twoLayer
    let audit = try KKTAuditor().audit(model, on: data)
    let stored = StoredMultipliers(audit: audit, model: model, data: data, origin: .training)
    let unlearned = try GradientAscentUnlearning().unlearn(model, stored: stored, data: data, forgetSet: [3])
    let (retained, _) = try data.removing([3])
    let carried = try #require(stored.carried(to: unlearned, retained: retained, forgetSet: [3]))
    #expect(carried.bandExamples.allSatisfy { $0 < retained.count } && !carried.bandExamples.isEmpty)
    let cold = try KKTAuditor().audit(unlearned, on: retained)
    let warm = try KKTAuditor().audit(unlearned, on: retained, startingFrom: carried)
    // ε is the optimum of a convex QP: unique, whatever the start (λ need not be).
    #expect(abs(warm.epsilon - cold.epsilon) <= 1e-8 * cold.normalizedNorm + 2 * cold.epsilonFloor)
    #expect(warm.band == cold.band && warm.solverStatus == .optimal)
  }

  @Test("Timed warm, the stored-multiplier step runs twice and returns the same θ_U and carried multipliers, bit for bit; other paths run once")
  func warmTiming() throws {
    let (model, data, _) = Self.twoLayer
    let stored = StoredMultipliers(audit: try KKTAuditor().audit(model, on: data), model: model, data: data, origin: .training)
    func run(warm: Bool, _ method: UnlearningMethod) throws -> UnlearningRun<TwoLayerReLUNetwork>.Outcome {
      let r = try UnlearningRun(model: model, data: data, forgetSet: [4], certifies: false, comparesToRetrained: false,
                                stored: stored, carriesMultipliers: true)
      r.measuresWarm = warm
      return try r.run(method)
    }
    let once = try run(warm: false, .gaKKT()), twice = try run(warm: true, .gaKKT())
    #expect(once.coldSeconds == nil && (twice.coldSeconds ?? -1) > 0)
    #expect(twice.model.parameters == once.model.parameters)
    #expect(twice.carried?.values == once.carried?.values && twice.carried?.parameterFingerprint == once.carried?.parameterFingerprint)
    // The decomposition step audits (no stored path): it runs once, warm or not.
    #expect(try run(warm: true, .gaKKT(step: .decomposition)).coldSeconds == nil)
    #expect(try run(warm: true, .fineTune(steps: 2)).coldSeconds == nil)
  }

  @Test("The run takes stored multipliers when they match, audits and says why when they do not")
  func runChoosesTheSource() throws {
    let (model, data, training) = Self.twoLayer
    let stored = StoredMultipliers(audit: try KKTAuditor().audit(model, on: data), model: model, data: data, origin: .training)
    let fast = try UnlearningRun(model: model, data: data, forgetSet: [4], comparesToRetrained: false, stored: stored,
                                 carriesMultipliers: true)
    let a = try fast.run(.gaKKT())
    #expect(fast.multipliersSource == .stored && fast.storedMultipliersRejection == nil)
    #expect(fast.auditSeconds == 0, "no audit on S was run")
    #expect(a.carried?.values.count == 11)
    // The carried record is bound to θ_U and S∖F (its fingerprints computed outside the method's clock).
    #expect(a.carried?.mismatch(model: a.model, data: fast.retained, kappa: fast.auditor.kappa) == nil)
    #expect(a.fingerprintSeconds > 0)
    let unbound = stored.carried(to: a.model, retained: fast.retained, forgetSet: [4], bindsFingerprints: false)
    #expect(unbound?.mismatch(model: a.model, data: fast.retained, kappa: fast.auditor.kappa) != nil, "unbound: refused")
    let slow = try UnlearningRun(model: model, data: data, forgetSet: [4], comparesToRetrained: false,
                                 stored: stored, carriesMultipliers: true)
    let b = try slow.run(.gaKKT(step: .decomposition))
    #expect(slow.multipliersSource == .audit && slow.storedMultipliersRejection?.contains("decomposition") == true)
    #expect(b.carried != nil)
    _ = training
    let strict = try UnlearningRun(model: model, data: data, forgetSet: [4], auditor: KKTAuditor(kappa: 0), comparesToRetrained: false,
                                   stored: stored)
    _ = try strict.run(.gaKKT())
    #expect(strict.multipliersSource == .audit && strict.storedMultipliersRejection?.contains("κ") == true)
    // The certificate's audit (warm-started) certifies what a cold audit certifies.
    let cold = try KKTAuditor().audit(a.model, on: fast.retained)
    let warm = try #require(try a.audit?.get())
    #expect(abs(warm.epsilon - cold.epsilon) <= 1e-8 * cold.normalizedNorm + 2 * cold.epsilonFloor)
  }

  @Test("The residual of an audit's own multipliers is the audit's ε and δ (the carried certificate's formula)")
  func residualOfTheAuditsMultipliers() throws {
    for (model, data) in [(Self.twoLayer.model as any HomogeneousModel, Self.twoLayer.data), (Self.linear.model, Self.linear.data)] {
      func check<M: HomogeneousModel>(_ model: M) throws {
        let audit = try KKTAuditor().audit(model, on: data)
        let r = try KKTAuditor().residual(model, on: data, multipliers: StoredMultipliers(audit: audit, model: model, data: data, origin: .audit))
        #expect(r.bandPairs == audit.bandPairs && r.minMargin == audit.minMargin)
        #expect(abs(r.epsilon - audit.epsilon) <= 1e-12 * audit.normalizedNorm)
        #expect(abs(r.delta - audit.delta) <= 1e-12 * max(1, abs(audit.delta)))
      }
      try check(model)
    }
  }

  @Test("The carried certificate bounds self's ε from above, and is ≈ 0 at an exact KKT point (linear)")
  func carriedCertificate() throws {
    let (model, data, _) = Self.twoLayer
    let stored = StoredMultipliers(audit: try KKTAuditor().audit(model, on: data), model: model, data: data, origin: .training)
    let run = try UnlearningRun(model: model, data: data, forgetSet: [2], comparesToRetrained: false, stored: stored, carriesMultipliers: true)
    let outcome = try run.run(.gaKKT())
    let carried = try run.certificate(.carried, for: outcome.model, audit: outcome.audit, carried: outcome.carried)
    let selfCertificate = try run.certificate(.self, for: outcome.model, audit: outcome.audit)
    let upper = try #require(carried.epsilon), optimum = try #require(selfCertificate.epsilon)
    #expect(carried.kind == .carried && carried.tau == 0)
    #expect(upper >= optimum * (1 - 1e-9), "the QP's ε is the smallest residual")
    #expect(try run.certificate(.carried, for: outcome.model).isAvailable == false)

    let svm = try MaxMarginSVM().solve(Self.linear.data).model
    let linearStored = StoredMultipliers(audit: try KKTAuditor().audit(svm, on: Self.linear.data), model: svm, data: Self.linear.data, origin: .audit)
    let linearRun = try UnlearningRun(model: svm, data: Self.linear.data, forgetSet: [1], comparesToRetrained: false,
                                      stored: linearStored, carriesMultipliers: true)
    let linear = try linearRun.run(.gaKKT())
    let exact = try linearRun.certificate(.carried, for: linear.model, carried: linear.carried)
    #expect(try #require(exact.epsilonRelative) < 1e-9)
  }
}
