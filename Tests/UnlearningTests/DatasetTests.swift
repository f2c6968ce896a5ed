import LinearAlgebra
import Testing
import Unlearning

@Suite("Data sets")
struct DatasetTests {
  @Test("Invalid data sets are rejected with the reason")
  func invalid() {
    let x = Matrix(rows: 2, columns: 2, elements: [1, 0, 0, 1])
    #expect(throws: DatasetError.invalidLabel(index: 1, value: 0)) { try Dataset(features: x, labels: [1, 0]) }
    #expect(throws: DatasetError.labelCountMismatch(examples: 2, labels: 3)) { try Dataset(features: x, labels: [1, 1, -1]) }
    #expect(throws: DatasetError.nonFiniteFeature(row: 1, column: 0)) {
      try Dataset(features: Matrix(rows: 2, columns: 2, elements: [1, 0, .nan, 1]), labels: [1, -1])
    }
    #expect(throws: DatasetError.self) { try Dataset(features: Matrix(rows: 0, columns: 2), labels: []) }
    #expect(throws: DatasetError.self) { try SyntheticData.generate(.correlated(rho: 1.5), count: 3, dimension: 3, seed: 1) }
    #expect(throws: DatasetError.self) { try SyntheticData.generate(.isotropic, count: 0, dimension: 3, seed: 1) }
  }

  @Test("Removing a forget set keeps the other examples in order")
  func removing() throws {
    let data = try SyntheticData.generate(.isotropic, count: 6, dimension: 3, seed: 1).train
    let (retained, indices) = try data.removing([4, 1])
    #expect(indices == [0, 2, 3, 5])
    #expect(retained.features.row(1) == data.features.row(2))
    #expect(retained.labels == indices.map { data.labels[$0] })
  }
}

@Suite("Bundled real data and the random-feature lift")
struct RealDataTests {
  @Test("breast-cancer and digits load with their shapes and class counts, standardised column by column, unit mean ‖x‖²")
  func bundled() throws {
    let cancer = try RealDataset.breastCancer.load()
    #expect(cancer.count == 569 && cancer.dimension == 30)
    #expect(cancer.labels.filter { $0 == 1 }.count == 212)  // malignant
    let digits = try RealDataset.digits.load()
    #expect(digits.count == 1797 && digits.dimension == 64)
    for loaded in [cancer, digits] {
      // Undo the common scale (mean ‖x‖² = 1) to check the standardisation itself.
      let meanSquare = loaded.features.elements.reduce(0) { $0 + $1 * $1 } / Double(loaded.count)
      #expect(abs(meanSquare - 1) < 1e-12)
      let data = try Dataset(features: RealDataset.standardized(try (loaded == cancer ? RealDataset.breastCancer : .digits).raw().features),
                             labels: loaded.labels)
      for j in 0..<data.dimension {
        let column = (0..<data.count).map { data.features[$0, j] }
        let mean = column.reduce(0, +) / Double(data.count)
        let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(data.count)
        // Centred to rounding (1e-12); unit variance, or an all-zero column where the raw one is constant.
        #expect(abs(mean) < 1e-12)
        #expect(abs(variance - 1) < 1e-12 || column.allSatisfy { $0 == 0 })
      }
    }
    // Digits' corner pixel is 0 in every image: its standardised column is 0, not NaN.
    #expect((0..<digits.count).allSatisfy { digits.features[$0, 0] == 0 })
  }

  @Test("The lift is ReLU(Rx)/√D: non-negative, seeded, and ⟨φ(x), φ(x)⟩ ≈ ‖x‖²/2 for large D")
  func lift() throws {
    let data = try SyntheticData.generate(.isotropic, count: 5, dimension: 40, seed: 3).train
    let a = try RandomFeatureLift(inputDimension: 40, width: 20_000, seed: 7).apply(data)
    let b = try RandomFeatureLift(inputDimension: 40, width: 20_000, seed: 7).apply(data)
    #expect(a.features == b.features && a.dimension == 20_000)
    #expect(a.features.elements.allSatisfy { $0 >= 0 })
    // g = ⟨r, x⟩ ~ N(0, ‖x‖²): E[ReLU(g)²] = ‖x‖²/2; the mean of D such terms has relative sd √(5/D) ≈ 0.016 (5 % ≈ 3 sd).
    for i in 0..<5 {
      let x = data.features.row(i), z = a.features.row(i)
      let norm2 = x.map { $0 * $0 }.reduce(0, +), lifted = z.map { $0 * $0 }.reduce(0, +)
      #expect(abs(lifted - norm2 / 2) < 0.05 * norm2 / 2)
    }
    #expect(throws: DatasetError.self) { try RandomFeatureLift(inputDimension: 0, width: 4, seed: 1) }
  }

  @Test("Centring removes each column's mean exactly (to rounding) and keeps the differences between rows")
  func centring() throws {
    let data = try SyntheticData.generate(.isotropic, count: 7, dimension: 40, seed: 4).train
    let lifted = try RandomFeatureLift(inputDimension: 40, width: 300, seed: 2).apply(data).features
    let c = RealDataset.centred(lifted)
    for j in 0..<c.columns {
      let column = (0..<c.rows).map { c[$0, j] }, original = (0..<c.rows).map { lifted[$0, j] }
      let scale = original.map(abs).max() ?? 0
      // A mean of 7 values and its subtraction: a few ulps of the column's largest entry.
      #expect(abs(column.reduce(0, +)) <= 16 * Double(c.rows) * scale.ulp)
      #expect(abs((column[1] - column[0]) - (original[1] - original[0])) <= 4 * scale.ulp)
    }
    #expect(RealDataset.centred(Matrix(rows: 0, columns: 3)).rows == 0)
  }
}
