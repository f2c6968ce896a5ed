import Experiments
import Foundation
import Testing
import Unlearning

/// `config.json`, the one carrier of experiment options between `unlearn sweep` and
/// its tasks (and between `reproduce`, `merge`, `sweep status` and `report`).
@Suite("Experiment options in config.json")
struct ExperimentOptionsConfigTests {
  /// Doubles whose shortest decimal form is long, or at the edges of the format.
  static let awkwardDoubles: [Double] = [
    -0.5, 1.0 / 3.0, 0.1 + 0.2, 1e-5, .leastNonzeroMagnitude, 2.2250738585072014e-308, .greatestFiniteMagnitude, -0.0,
    123_456_789.123_456_78, 0.7, Double.pi,
  ]

  /// Options with EVERY field set to a value no experiment defaults to.
  static var everyField: ExperimentOptions {
    var o = ExperimentOptions(seeds: 2, examples: 9, dimension: 50, width: 7, trainOutputLayer: true, alphas: awkwardDoubles,
                              kappas: [0, 1e-5, 0.03], dimensions: [10, 20], rhos: [0.1, 0.95], forgetSizes: [1, 4],
                              testExamples: 30, meanNorm: 1.0 / 3.0, xor: true, tolerance: 5e-3, maxIterations: 100,
                              steps: [0, 5], methods: ["newton", "minnorm-og"], populationSize: 6, datasets: ["digits"],
                              liftDimensions: [0, 256], depths: [1, 2])
    o.experiment = "depth"
    return o
  }

  /// The fields of `o` that are `nil`.
  static func unsetFields(_ o: ExperimentOptions) -> [String] {
    Mirror(reflecting: o).children.filter { child in
      let value = Mirror(reflecting: child.value)
      return value.displayStyle == .optional && value.children.isEmpty
    }.compactMap(\.label)
  }

  /// Every double of `o` by field, as bit patterns.
  static func doubleBits(_ o: ExperimentOptions) -> [String: [UInt64]] {
    var bits: [String: [UInt64]] = [:]
    for child in Mirror(reflecting: o).children {
      guard let label = child.label, let unwrapped = Mirror(reflecting: child.value).children.first?.value else { continue }
      if let d = unwrapped as? Double { bits[label] = [d.bitPattern] }
      if let ds = unwrapped as? [Double] { bits[label] = ds.map(\.bitPattern) }
    }
    return bits
  }

  func temporaryFolder() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-config-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test("Every field (none left unset, checked by reflection) survives config.json: equal, doubles bit for bit")
  func everyFieldRoundTrips() throws {
    let o = Self.everyField
    // A field added to ExperimentOptions without a value here fails this line.
    #expect(Self.unsetFields(o).isEmpty, "set these fields in the test: \(Self.unsetFields(o))")
    #expect(ExperimentOptions.fieldNames.contains("depths") && ExperimentOptions.fieldNames.contains("experiment"))
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("config.json")
    try o.writeConfig(to: url)
    let back = try ExperimentOptions.readConfig(from: url)
    #expect(back == o)
    #expect(Self.unsetFields(back).isEmpty)
    #expect(Self.doubleBits(back) == Self.doubleBits(o))
    #expect(Self.doubleBits(o)["alphas"]?.count == Self.awkwardDoubles.count)
    // Each field is its own JSON key; unset fields are left out.
    let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    #expect(Set(object.keys) == Set(ExperimentOptions.fieldNames))
    #expect(try ExperimentOptions.decodeConfig(ExperimentOptions().configJSON()) == ExperimentOptions())
  }

  @Test("Random finite doubles read back bit for bit")
  func randomDoublesRoundTrip() throws {
    var generator = SystemRandomNumberGenerator()
    var values: [Double] = []
    while values.count < 2000 {
      let d = Double(bitPattern: generator.next())
      if d.isFinite { values.append(d) }
    }
    let o = ExperimentOptions(alphas: values, meanNorm: values[0], tolerance: values[1])
    let back = try ExperimentOptions.decodeConfig(try o.configJSON())
    #expect(back.alphas?.map(\.bitPattern) == values.map(\.bitPattern))
    #expect(back.meanNorm?.bitPattern == values[0].bitPattern && back.tolerance?.bitPattern == values[1].bitPattern)
  }

  @Test("Every experiment's resolved options, read back from config.json, resolve to themselves (what a sweep task runs)")
  func resolvedOptionsAreAFixedPoint() throws {
    for name in ExperimentCatalog.names {
      for given in [ExperimentOptions(), ExperimentOptions(seeds: 2, examples: 9, dimension: 30, depths: [1, 2])] {
        var resolved = try ExperimentCatalog.make(name, options: given).options
        resolved.experiment = name
        let back = try ExperimentOptions.decodeConfig(try resolved.configJSON())
        #expect(back == resolved, "\(name)")
        var again = try ExperimentCatalog.make(name, options: back).options
        again.experiment = name
        #expect(again == resolved, "\(name)")
        #expect(try ExperimentCatalog.make(name, options: back).points() == ExperimentCatalog.make(name, options: given).points(), "\(name)")
      }
    }
  }

  @Test("Bad config files: missing or a folder = I/O; not JSON, not an object, an unknown key, a wrong type = malformed")
  func badFiles() throws {
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    func kind(_ url: URL) -> FileFormatError.Kind? {
      do {
        _ = try ExperimentOptions.readConfig(from: url)
        return nil
      } catch let error as FileFormatError {
        return error.kind
      } catch {
        return nil
      }
    }
    func file(_ name: String, _ text: String) throws -> URL {
      let url = dir.appendingPathComponent(name)
      try text.write(to: url, atomically: true, encoding: .utf8)
      return url
    }
    #expect(kind(dir.appendingPathComponent("nothere.json")) == .io)
    #expect(kind(dir) == .io)
    #expect(kind(try file("text.json", "depths = 1,2")) == .malformed)
    #expect(kind(try file("array.json", "[1, 2]")) == .malformed)
    #expect(kind(try file("truncated.json", "{\"depths\": [1, 2]")) == .malformed)
    #expect(kind(try file("typo.json", "{\"depth\": [1, 2]}")) == .malformed)
    #expect(kind(try file("string.json", "{\"depths\": \"1,2\"}")) == .malformed)
    #expect(kind(try file("fraction.json", "{\"seeds\": 2.5}")) == .malformed)
    #expect(throws: FileFormatError(.malformed, file: "typo.json",
                                    "unknown option \"depth\" (the options are \(ExperimentOptions.fieldNames.sorted().joined(separator: ", ")))")) {
      try ExperimentOptions.decodeConfig(Data("{\"depth\": [1, 2]}".utf8), file: "typo.json")
    }
    let message = try #require({ () -> String? in
      do { _ = try ExperimentOptions.decodeConfig(Data("{\"depths\": \"1,2\"}".utf8), file: "c.json") } catch { return "\(error)" }
      return nil
    }())
    #expect(message.hasPrefix("c.json: \"depths\": expected"), "\(message)")
    #expect(!message.contains("\n"))
    // An empty object is valid: every option unset (the experiment's defaults).
    #expect(try ExperimentOptions.readConfig(from: try file("empty.json", "{}")) == ExperimentOptions())
  }
}
