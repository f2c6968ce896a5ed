import Foundation
import LinearAlgebra

/// Full-batch gradient descent, plain or loss-normalised (MATH.md §2), that
/// stops on a KKT tolerance rather than a fixed number of epochs.
///
/// A model that adopts ``KernelSpaceTrainable`` (a two-layer network with a
/// fixed output layer and `m ≤ d/4`) steps in the span of the data (``KernelSpaceSteps``: `O(m²n)` per step instead of `O(mnd)`).
///
/// Loss-normalised GD is `θ ← θ − η ∇L/L` for degree `C = 1`; for `C ≥ 2` the
/// step is `η ∇L / (L ‖θ‖^{C−1})` (a decaying normalised step, MATH.md §2),
/// since with a fixed η the norm grows geometrically and overflows.
///
/// With a warm-up learning rate, plain GD runs until every margin is positive
/// first (deep networks: see ``TrainingConfiguration/warmUpLearningRate``).
///
/// Every `auditInterval` iterations the κ-audit of the normalised model on the
/// training set is taken (warm-started from the previous one); training stops
/// when `ε/‖θ̂‖ ≤ tolerance` with every margin positive, or at the iteration
/// limit. A NaN or infinite margin or loss, `log L` more than 1 above its best
/// at `divergencePatience` iterations since the last new best, and (deep
/// networks) dead examples for `divergencePatience` consecutive iterations stop
/// it with a ``TrainingError`` (MATH.md §2.4).
public struct Trainer: Sendable {
  /// The settings of every run of this trainer.
  public var configuration: TrainingConfiguration

  /// Creates a trainer with `configuration` (the defaults of MATH.md §2.4 when omitted).
  public init(_ configuration: TrainingConfiguration = TrainingConfiguration()) {
    self.configuration = configuration
  }

  /// Trains from `initial` on `data` until the audit converges or the iteration limit.
  ///
  /// - Parameters:
  ///   - initial: The initial model θ₀ (e.g. ``ModelArchitecture/initialModel(dimension:initScale:seed:)``).
  ///   - data: The training set S.
  ///   - progress: Called at every audit, on the calling thread.
  /// - Returns: The trained model (not normalised), the initial model, the last
  ///   audit and why the run stopped.
  /// - Throws: ``TrainingError``: `invalidConfiguration` (from
  ///   ``TrainingConfiguration/validate()``), `dimensionMismatch`, `nonFinite`,
  ///   `diverging`, `deadUnits`. ``KKTAuditError`` rethrown from a periodic audit
  ///   (not expected: audits run only when every margin is positive, with a
  ///   validated κ).
  /// - Complexity: Per iteration one forward pass and one step, O(m p) (O(m²n)
  ///   in kernel space), at most `maxIterations + 1` iterations; plus one
  ///   ``KKTAuditor/audit(_:on:warmStart:kernel:)`` every `auditInterval` iterations
  ///   while every margin is positive.
  public func train<M: HomogeneousModel>(from initial: M, on data: Dataset,
                                         progress: ((TrainingProgress) -> Void)? = nil) throws -> TrainingResult<M> {
    let config = configuration
    try config.validate()
    guard initial.inputDimension == data.dimension else {
      throw TrainingError.dimensionMismatch(model: initial.inputDimension, data: data.dimension)
    }
    let start = ContinuousClock.now
    let auditor = KKTAuditor(kappa: config.kappa)
    let x = data.features, y = data.labels
    var model = initial
    var bestLogLoss = Double.infinity
    var iterationsAboveBest = 0
    var iterationsWithDeadExamples = 0
    var lastAudit: KKTAuditReport<M>? = nil
    var kernel: Matrix? = nil  // K = X Xᵀ, formed at the first audit and shared by the rest
    var logLoss = Double.nan
    var coefficients = [Double](repeating: 0, count: data.count)
    var warmingUp = config.warmUpLearningRate != nil
    // m ≪ d, fixed output layer: step in the span of the data (KernelSpaceTrainable).
    var kernelSteps = KernelSpaceSteps.steps(for: initial, on: x)
    func currentModel() -> M {
      if let current = kernelSteps?.model() { model = current }
      return model
    }

    func finish(_ reason: TrainingResult<M>.StopReason, _ t: Int) -> TrainingResult<M> {
      let elapsed = start.duration(to: .now)
      return TrainingResult(model: model, initialModel: initial, iterations: t, stopReason: reason,
                            finalAudit: lastAudit, logLoss: logLoss,
                            seconds: elapsed.inSeconds)
    }

    for t in 0...config.maxIterations {
      let pass = kernelSteps?.pass() ?? model.forward(x)
      let margins = zip(y, pass.outputs).map { $0 * $1 }
      guard margins.allSatisfy(\.isFinite) else { throw TrainingError.nonFinite(iteration: t) }
      if kernelSteps == nil, margins.contains(where: { $0 <= 0 }) {
        // An example with every unit of some layer dead has N = 0 and ∇N = 0: only the other examples'
        // updates of the earlier layers can revive it. Give them `divergencePatience` iterations.
        let dead = model.deadExamples(x, pass: pass)
        iterationsWithDeadExamples = dead.isEmpty ? 0 : iterationsWithDeadExamples + 1
        if iterationsWithDeadExamples >= config.divergencePatience {
          throw TrainingError.deadUnits(iteration: t, examples: dead)
        }
      } else {
        iterationsWithDeadExamples = 0
      }
      let (weights, currentLogLoss) = config.loss.normalizedDerivativeWeights(margins)
      logLoss = currentLogLoss
      guard logLoss.isFinite else { throw TrainingError.nonFinite(iteration: t) }

      if logLoss < bestLogLoss {
        bestLogLoss = logLoss
        iterationsAboveBest = 0
      } else if logLoss > bestLogLoss + 1 {
        iterationsAboveBest += 1
        if iterationsAboveBest >= config.divergencePatience {
          throw TrainingError.diverging(iteration: t, logLoss: logLoss, bestLogLoss: bestLogLoss)
        }
      }

      if config.audits, t % config.auditInterval == 0 || t == config.maxIterations {
        if margins.min()! > 0 {
          if kernel == nil { kernel = BLAS.rowGram(x) }
          lastAudit = try auditor.audit(currentModel(), on: data, warmStart: lastAudit, kernel: kernel)
        } else {
          lastAudit = nil
        }
        progress?(TrainingProgress(iteration: t, maxIterations: config.maxIterations, logLoss: logLoss,
                                   epsilonRelative: lastAudit?.epsilonRelative, tolerance: config.tolerance))
        if let audit = lastAudit, audit.epsilonRelative <= config.tolerance {
          _ = currentModel()
          return finish(.converged, t)
        }
      }
      if t == config.maxIterations { break }

      // ∇L/L = −Σ_i (−ℓ'(q_i)/L) y_i ∇N(x_i).
      for i in 0..<data.count { coefficients[i] = -weights[i] * y[i] }
      if warmingUp, margins.allSatisfy({ $0 > 0 }) { warmingUp = false }
      let algorithm = warmingUp ? .gradientDescent : config.algorithm
      var scale = -(warmingUp ? config.warmUpLearningRate! : config.learningRate)
      if algorithm == .normalizedGradientDescent, model.homogeneityDegree > 1 {
        // ‖∇L/L‖ grows like ‖θ‖^{C−1}: a fixed η makes ‖θ‖ grow geometrically until it
        // overflows (seen at C = 2). Dividing by ‖θ‖^{C−1} keeps steps O(η), as at C = 1.
        let norm = model.parameterNorm
        if norm > 0 { scale /= Foundation.pow(norm, Double(model.homogeneityDegree - 1)) }
      }
      if algorithm == .gradientDescent {
        scale *= Foundation.exp(logLoss)  // ∇L = L · ∇L/L
        guard scale.isFinite else { throw TrainingError.nonFinite(iteration: t) }
      }
      if kernelSteps != nil {
        kernelSteps?.step(coefficients: coefficients, scaledBy: scale)
      } else {
        model.addOutputGradientCombination(x, pass: pass, coefficients: coefficients, scaledBy: scale)
      }
    }
    _ = currentModel()
    return finish(.iterationLimit, config.maxIterations)
  }
}
