import Foundation
import LinearAlgebra
import Unlearning

/// `unlearn fold-bias` and `unlearn unfold-bias`: a PyTorch network's first-layer bias folded into its
/// weights with a constant input feature c, and back (``BiasFolding``, MATH.md §8.6).
package enum BiasFoldingWorkflow {
  /// `unlearn fold-bias --json` (a stable schema, see the README).
  package struct FoldSummary: Sendable, Encodable {
    /// The folded bias tensor's name.
    package var bias: String
    /// The constant feature c.
    package var constant: Double
    /// Whether c is a power of two (folding back is then exact).
    package var constantIsPowerOfTwo: Bool
    package var examples: Int
    /// d before folding (d + 1 after).
    package var dimension: Int
    /// ψ, φ of X.
    package var psiBefore: Double
    package var phiBefore: Double
    /// ψ, φ of [X | c].
    package var psiAfter: Double
    package var phiAfter: Double
    package var outModel: String
    package var outX: String
  }

  /// Folds the bias of the model at `model` with the inputs at `x`; writes both (atomically).
  ///
  /// - Throws: ``FileFormatError`` for the files and the fold (``BiasFolding/fold(_:features:constant:layers:)``).
  /// - Complexity: O(m² d) (the geometry), O(m d + p) for the rest.
  package static func fold(model: URL, x: URL, constant: Double?, layers: [String]?, outModel: URL, outX: URL,
                           overwrite: Bool) throws -> FoldSummary {
    let file = try SafetensorsFile.read(model)
    let features = try DatasetLoader.loadFeatures(x)
    if let k = features.elements.firstIndex(where: { !$0.isFinite }) {
      throw FileFormatError(.invalidContents, file: FileFormatError.displayName(x),
                            "X[\(k / max(features.columns, 1)), \(k % max(features.columns, 1))] is \(features.elements[k]); features must be finite")
    }
    let folded: BiasFolding.Folded
    do {
      folded = try BiasFolding.fold(file, features: features, constant: constant, layers: layers)
    } catch let error as FileFormatError {
      throw error.file == nil ? error.about(FileFormatError.displayName(model)) : error
    }
    let before = DataGeometry(kernel: BLAS.rowGram(features)), after = DataGeometry(kernel: BLAS.rowGram(folded.features))
    try folded.file.write(to: outModel, dtype: nil, overwrite: overwrite)
    try NpyFormat.write(NumPyArray(folded.features), to: outX, overwrite: overwrite)
    let c = folded.constant
    return FoldSummary(bias: folded.bias, constant: c, constantIsPowerOfTwo: c.significand == 1,
                       examples: features.rows, dimension: features.columns, psiBefore: before.psi, phiBefore: before.phi,
                       psiAfter: after.psi, phiAfter: after.phi, outModel: FileFormatError.displayName(outModel),
                       outX: FileFormatError.displayName(outX))
  }

  /// `unlearn unfold-bias --json`.
  package struct UnfoldSummary: Sendable, Encodable {
    package var bias: String
    package var constant: Double
    package var outModel: String
  }

  /// Folds the bias of the folded model at `model` back and writes the biased file (atomically).
  ///
  /// - Throws: ``FileFormatError`` for the files and ``BiasFolding/unfold(_:constant:)``.
  /// - Complexity: O(p).
  package static func unfold(model: URL, constant: Double?, outModel: URL, overwrite: Bool) throws -> UnfoldSummary {
    let file = try SafetensorsFile.read(model)
    let unfolded: SafetensorsFile
    do {
      unfolded = try BiasFolding.unfold(file, constant: constant)
    } catch let error as FileFormatError {
      throw error.file == nil ? error.about(FileFormatError.displayName(model)) : error
    }
    try unfolded.write(to: outModel, dtype: nil, overwrite: overwrite)
    let bias = Set(unfolded.tensors.keys).subtracting(file.tensors.keys).first ?? ""
    return UnfoldSummary(bias: bias, constant: constant ?? file.metadata[BiasFolding.constantKey].flatMap(Double.init) ?? 0,
                         outModel: FileFormatError.displayName(outModel))
  }
}
