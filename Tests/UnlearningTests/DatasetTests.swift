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
