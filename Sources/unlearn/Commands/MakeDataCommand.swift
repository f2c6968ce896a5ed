import ArgumentParser
import Foundation
import Unlearning

/// `unlearn make-data`: the seeded synthetic settings of MATH.md §7 as .npy files.
struct MakeDataCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "make-data",
    abstract: "Write a seeded synthetic data set as NumPy files (PREFIX.x.npy, PREFIX.y.npy).",
    discussion: """
      Settings (MATH.md §7): isotropic x ~ N(0, I/d) with random ±1 labels; mixture x = y·μ + ξ \
      (‖μ‖ = d^(-1/4), or four XOR clusters with --xor) with a test split; correlated \
      x_i = √(1−ρ) g_i + √ρ g_0. The same seed gives the same bytes on every machine.

      Example:
        unlearn make-data --setting isotropic --m 20 --d 1000 --seed 0 --out data/iso
        unlearn make-data --setting mixture --m 100 --d 500 --test-m 1000 --out data/mix
        unlearn make-data --setting correlated --rho 0.3 --m 20 --d 1000 --out data/corr
      """)

  enum Setting: String, ExpressibleByArgument, CaseIterable { case isotropic, mixture, correlated }

  @Option(help: "isotropic, mixture or correlated.")
  var setting: Setting = .isotropic
  @Option(name: .customLong("m"), help: "Number of training examples.")
  var examples = 20
  @Option(name: .customLong("d"), help: "Input dimension.")
  var dimension = 1000
  @Option(help: "Correlation ρ ∈ [0, 1] of the correlated setting.")
  var rho: Double?
  @Option(name: .customLong("test-m"), help: "Number of test examples (written as PREFIX.test.x.npy, PREFIX.test.y.npy).")
  var testExamples = 0
  @Flag(help: "Mixture only: four clusters in an XOR layout instead of two.")
  var xor = false
  @Option(help: "Seed.")
  var seed: UInt64 = 0
  @Option(help: ArgumentHelp("Output prefix: writes PREFIX.x.npy and PREFIX.y.npy.", valueName: "prefix"))
  var out: String
  @OptionGroup var output: OutputOptions

  func validate() throws {
    guard examples >= 1 else { throw ValidationError("--m must be at least 1 (got \(examples))") }
    guard dimension >= 1 else { throw ValidationError("--d must be at least 1 (got \(dimension))") }
    guard testExamples >= 0 else { throw ValidationError("--test-m must be ≥ 0 (got \(testExamples))") }
    if setting == .correlated {
      guard let rho else { throw ValidationError("--setting correlated needs --rho (a number in [0, 1])") }
      guard rho >= 0, rho <= 1 else { throw ValidationError("--rho must lie in [0, 1] (got \(rho))") }
    } else if rho != nil {
      throw ValidationError("--rho applies to --setting correlated only")
    }
    if xor && setting != .mixture { throw ValidationError("--xor applies to --setting mixture only") }
  }

  struct Summary: Encodable {
    var setting: String
    var m: Int
    var d: Int
    var testM: Int
    var seed: UInt64
    var psi: Double
    var phi: Double
    var files: [String]
  }

  func run() throws {
    let synthetic: SyntheticSetting
    switch setting {
    case .isotropic: synthetic = .isotropic
    case .mixture: synthetic = .mixture(xor: xor)
    case .correlated: synthetic = .correlated(rho: rho ?? 0)
    }
    try CLIError.reporting {
      let (train, test) = try SyntheticData.generate(synthetic, count: examples, dimension: dimension,
                                                     testCount: testExamples, seed: seed)
      let written = try DatasetLoader.save(train, prefix: out, overwrite: output.force)
      var files = [written.x, written.y].map(FileFormatError.displayName)
      if let test {
        let t = try DatasetLoader.save(test, prefix: out + ".test", overwrite: output.force)
        files += [t.x, t.y].map(FileFormatError.displayName)
      }
      let geometry = DataGeometry(of: train)
      let summary = Summary(setting: setting.rawValue, m: examples, d: dimension, testM: testExamples, seed: seed,
                            psi: geometry.psi, phi: geometry.phi, files: files)
      if output.json {
        print(try JSONOutput.encode(summary))
      } else {
        print("\(setting.rawValue) data: m = \(examples), d = \(dimension), seed \(seed); ψ = \(Format.fixed(geometry.psi)), φ = \(Format.fixed(geometry.phi))")
        for f in files { print("wrote \(f)") }
      }
    }
  }
}
