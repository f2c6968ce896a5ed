import ArgumentParser
import Foundation
import Unlearning

extension RealDataset: ExpressibleByArgument {}

/// The data flags shared by `train`, `audit` and `forget`.
struct DataOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Features: an m×d .npy (float64/float32, C or Fortran order) or a .csv.", valueName: "file"))
  var x: String?
  @Option(help: ArgumentHelp("A bundled real data set instead of --x/--y: breast-cancer or digits (standardised, labels ±1).", valueName: "name"))
  var dataset: RealDataset?
  @Option(help: ArgumentHelp("With --dataset: only m examples, drawn by --subset-seed (the full sets are not separable).", valueName: "m"))
  var subset: Int?
  @Option(help: "With --subset: the seed of the draw (the same seed gives the same examples in train, audit and forget).")
  var subsetSeed: UInt64 = 0
  @Option(help: ArgumentHelp("Labels: a length-m .npy of ±1 (or 0/1 with --zero-one-labels). Omit for a .csv whose label column is in --x.", valueName: "file"))
  var y: String?
  @Option(help: ArgumentHelp("CSV only: the label column, by header name or 0-based index (default: the last column).", valueName: "name|index"))
  var labelColumn: String?
  @Flag(help: "CSV only: the first row is data, not a header.")
  var noHeader = false
  @Flag(help: "Map labels 0/1 to −1/+1 (otherwise labels must be −1/+1).")
  var zeroOneLabels = false

  func validate() throws {
    switch (x, dataset) {
    case (nil, nil): throw ValidationError("give the data: --x FILE (and --y FILE), or --dataset breast-cancer|digits")
    case (.some, .some): throw ValidationError("--x and --dataset exclude each other: give one data source")
    case (nil, .some) where y != nil: throw ValidationError("--y goes with --x; a --dataset carries its own labels")
    case (nil, .some) where labelColumn != nil || noHeader || zeroOneLabels:
      throw ValidationError("--label-column, --no-header and --zero-one-labels describe --x files; a --dataset has ±1 labels already")
    case (.some, nil) where subset != nil: throw ValidationError("--subset draws from a --dataset; for your own files, select the rows yourself")
    default: break
    }
    if let subset, subset < 1 { throw ValidationError("--subset must be at least 1 (got \(subset))") }
  }

  func load() throws -> Dataset {
    if let dataset { return try dataset.load(subset: subset, seed: subsetSeed) }
    guard let x else { throw ValidationError("give the data: --x FILE (and --y FILE), or --dataset breast-cancer|digits") }
    let column: DatasetLoader.LabelColumn
    if let labelColumn {
      column = Int(labelColumn).map { .index($0) } ?? .name(labelColumn)
    } else {
      column = .last
    }
    return try DatasetLoader.load(x: URL(fileURLWithPath: x), y: y.map { URL(fileURLWithPath: $0) },
                                  labelColumn: column, hasHeader: !noHeader, zeroOneLabels: zeroOneLabels)
  }
}
