import Foundation
import LinearAlgebra
import Testing
import Unlearning

@Suite("Loading and saving data sets")
struct DatasetLoaderTests {
  /// A fresh directory, removed after `body`; `body` gets a function writing bytes to a named file in it.
  func inDirectory(_ body: (URL, (String, [UInt8]) throws -> URL) throws -> Void) throws {
    let dir = try IOTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try body(dir) { name, bytes in
      let url = dir.appendingPathComponent(name)
      try Data(bytes).write(to: url)
      return url
    }
  }

  func npy(_ shape: [Int], _ values: [Double]) throws -> [UInt8] {
    NpyFormat.encode(try NumPyArray(shape: shape, values: values))
  }

  @Test("X and y as .npy files load, y as (m,) or (m, 1), integer or float")
  func npyPair() throws {
    try inDirectory { _, write in
      let x = try write("X.npy", npy([3, 2], [1, 2, 3, 4, 5, 6]))
      let y = try write("y.npy", npy([3], [1, -1, 1]))
      let data = try DatasetLoader.load(x: x, y: y)
      #expect(data.features == Matrix(rows: 3, columns: 2, elements: [1, 2, 3, 4, 5, 6]))
      #expect(data.labels == [1, -1, 1])
      let column = try write("y2.npy", npy([3, 1], [1, -1, 1]))
      #expect(try DatasetLoader.load(x: x, y: column).labels == [1, -1, 1])
      let yCSV = try write("y.csv", Array("1\n-1\n1\n".utf8))
      #expect(try DatasetLoader.load(x: x, y: yCSV).labels == [1, -1, 1])
      let xCSV = try write("X.csv", Array("1,2\n3,4\n5,6\n".utf8))
      #expect(try DatasetLoader.load(x: xCSV, y: y) == data)
      // The type comes from the magic bytes when the extension says nothing.
      let sniffed = try write("X.data", npy([3, 2], [1, 2, 3, 4, 5, 6]))
      #expect(try DatasetLoader.load(x: sniffed, y: y) == data)
    }
  }

  @Test("Shape and count mismatches name both files")
  func mismatches() throws {
    try inDirectory { _, write in
      let x = try write("X.npy", npy([3, 2], [1, 2, 3, 4, 5, 6]))
      let y = try write("y.npy", npy([2], [1, -1]))
      #expect(IOTestSupport.message { _ = try DatasetLoader.load(x: x, y: y) } == "\(y.path): 2 labels but \(x.path) has 3 rows")
      let x1 = try write("x1.npy", npy([6], [1, 2, 3, 4, 5, 6]))
      #expect(
        IOTestSupport.message { _ = try DatasetLoader.load(x: x1, y: y) }
          == "\(x1.path): X must be a 2-D m×d matrix, but the file holds a 1-D array of length 6")
      let y2 = try write("y2.npy", npy([3, 2], [1, 1, 1, 1, 1, 1]))
      #expect(
        IOTestSupport.message { _ = try DatasetLoader.load(x: x, y: y2) }
          == "\(y2.path): y must be a vector of labels (shape (m,) or (m, 1)), but the file holds a 3×2 matrix")
      #expect(
        IOTestSupport.message { _ = try DatasetLoader.load(x: x, y: nil) }
          == "\(x.path): an .npy file holds no labels: give the labels as a second file (y), or use a CSV with a label column")
      let empty = try write("empty.npy", npy([0, 2], []))
      let y0 = try write("y0.npy", npy([0], []))
      #expect(
        IOTestSupport.message { _ = try DatasetLoader.load(x: empty, y: y0) } == "\(empty.path): the data set is empty: no examples (0 rows)")
      let noFeatures = try write("nofeatures.npy", npy([3, 0], []))
      #expect(
        IOTestSupport.message { _ = try DatasetLoader.load(x: noFeatures, y: try write("y3.npy", npy([3], [1, 1, 1]))) }
          == "\(noFeatures.path): the data set is empty: no features (0 columns)")
    }
  }

  @Test("Non-finite features are reported with their position")
  func nonFinite() throws {
    try inDirectory { _, write in
      let x = try write("X.npy", npy([2, 3], [1, 2, 3, 4, 5, .nan]))
      let y = try write("y.npy", npy([2], [1, -1]))
      #expect(
        IOTestSupport.message { _ = try DatasetLoader.load(x: x, y: y) } == "\(x.path): X[1, 2] is NaN; features must be finite")
      let inf = try write("inf.npy", npy([2, 3], [1, .infinity, 3, 4, 5, 6]))
      #expect(
        IOTestSupport.message { _ = try DatasetLoader.loadFeatures(inf) } == "\(inf.path): X[0, 1] is +inf; features must be finite")
      let yNaN = try write("ynan.npy", npy([2], [1, .nan]))
      #expect(
        IOTestSupport.message { _ = try DatasetLoader.load(x: try write("X2.npy", npy([2, 1], [1, 2])), y: yNaN) }
          == "\(yNaN.path): label 1 is NaN; labels must be −1 or +1")
    }
  }

  @Test("Labels must be ±1, or 0/1 with zeroOneLabels")
  func labels() throws {
    try inDirectory { _, write in
      let x = try write("X.npy", npy([3, 1], [1, 2, 3]))
      let y01 = try write("y01.npy", npy([3], [0, 1, 1]))
      #expect(
        IOTestSupport.message { _ = try DatasetLoader.load(x: x, y: y01) }
          == "\(y01.path): label 0 is 0; labels must be −1 or +1 (these labels are 0/1, which can be read as −1/+1)")
      #expect(try DatasetLoader.load(x: x, y: y01, zeroOneLabels: true).labels == [-1, 1, 1])
      let ypm = try write("ypm.npy", npy([3], [1, -1, 1]))
      #expect(
        IOTestSupport.message { _ = try DatasetLoader.load(x: x, y: ypm, zeroOneLabels: true) }
          == "\(ypm.path): label 1 is -1; with 0/1 labels requested, labels must be 0 or 1")
      let y2 = try write("y2.npy", npy([3], [1, 2, -1]))
      #expect(IOTestSupport.message { _ = try DatasetLoader.load(x: x, y: y2) } == "\(y2.path): label 1 is 2; labels must be −1 or +1")
      let yHalf = try write("yhalf.npy", npy([3], [1, -1, 0.5]))
      #expect(IOTestSupport.message { _ = try DatasetLoader.load(x: x, y: yHalf) } == "\(yHalf.path): label 2 is 0.5; labels must be −1 or +1")
    }
  }

  @Test("Unknown and missing files are errors naming them")
  func badFiles() throws {
    try inDirectory { dir, write in
      let x = try write("X.parquet", Array("PAR1".utf8))
      #expect(
        IOTestSupport.message { _ = try DatasetLoader.loadFeatures(x) }
          == "\(x.path): unknown file type (extension '.parquet'): expected .npy, .csv or .tsv")
      let bare = try write("X", Array("1,2".utf8))
      #expect(
        IOTestSupport.message { _ = try DatasetLoader.loadFeatures(bare) }
          == "\(bare.path): unknown file type (no extension): expected .npy, .csv or .tsv")
      let missing = dir.appendingPathComponent("missing.npy")
      #expect(IOTestSupport.message { _ = try DatasetLoader.loadFeatures(missing) } == "\(missing.path): no such file")
      let truncated = try write("t.npy", Array(try npy([2, 2], [1, 2, 3, 4]).dropLast(8)))
      #expect(
        IOTestSupport.message { _ = try DatasetLoader.loadFeatures(truncated) }
          == "\(truncated.path): truncated data: header says 2×2 float64 (32 bytes) but only 24 bytes follow")
    }
  }

  @Test("save writes PREFIX.x.npy and PREFIX.y.npy that load back exactly")
  func save() throws {
    try inDirectory { dir, _ in
      let features = Matrix(rows: 4, columns: 3, elements: NpyFormatTests.awkward)
      let data = try Dataset(features: features, labels: [1, -1, -1, 1])
      let prefix = dir.appendingPathComponent("train").path
      let (x, y) = try DatasetLoader.save(data, prefix: prefix, overwrite: false)
      #expect(x.path == prefix + ".x.npy")
      #expect(y.path == prefix + ".y.npy")
      let back = try DatasetLoader.load(x: x, y: y)
      #expect(back.features.elements.map(\.bitPattern) == features.elements.map(\.bitPattern))
      #expect(back.labels == data.labels)
      #expect(try NpyFormat.read(y).shape == [4])

      // Without overwrite, nothing is written when either file exists.
      let other = try Dataset(features: Matrix(rows: 1, columns: 1, elements: [7]), labels: [1])
      try FileManager.default.removeItem(at: x)
      #expect(
        IOTestSupport.message { try DatasetLoader.save(other, prefix: prefix, overwrite: false) }
          == "\(y.path): already exists")
      #expect(!FileManager.default.fileExists(atPath: x.path))
      try DatasetLoader.save(other, prefix: prefix, overwrite: true)
      #expect(try DatasetLoader.load(x: x, y: y) == other)
    }
  }
}
