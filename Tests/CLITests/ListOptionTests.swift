import Testing
import Unlearning
@testable import unlearn

/// The comma-separated list options (``CommaSeparated``, ``CertificateList``): good and bad values.
@Suite("Comma-separated list options")
struct ListOptionTests {
  /// The message of parsing `text` as a `T`, or `nil` when it parses.
  static func failure<T>(_ parse: () throws -> T) -> String? {
    do {
      _ = try parse()
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test("Good values: spaces trimmed, order and duplicates kept, negative and exponent numbers")
  func goodValues() throws {
    #expect(try CommaSeparated<Int>(parsing: "3, 17").values == [3, 17])
    #expect(try CommaSeparated<Int>(parsing: "1,1").values == [1, 1])
    #expect(try CommaSeparated<Int>(parsing: "0").values == [0])
    #expect(try CommaSeparated<Double>(parsing: "-0.5,1e-3,0.1").values == [-0.5, 1e-3, 0.1])
    #expect(try CommaSeparated<UnlearningMethod.Kind>(parsing: "ga-kkt, newton").values == [.gaKKT, .newton])
    #expect(try CommaSeparated<RealDataset>(parsing: "digits").values == [.digits])
    #expect(try CommaSeparated<BenchWorkload>(parsing: "W1,W5").values == [.w1, .w5])
    #expect(try CertificateList(parsing: "self,retrained,exact").kinds == [.self, .retrained, .exact])
    #expect(try CertificateList(parsing: "none").kinds == [])
    #expect(try CertificateList(parsing: "carried,witness").kinds == [.carried, .witness])
    #expect(CommaSeparated<Int>(argument: "3,17")?.description == "3,17")
    #expect(CertificateList([.self]).description == "self")
  }

  @Test("Bad values name the bad element and the syntax", arguments: [
    (failure { try CommaSeparated<Int>(parsing: "") }, "the list is empty (comma-separated integers, e.g. 0 or 3,17)"),
    (failure { try CommaSeparated<Int>(parsing: " , ") }, "the list is empty (comma-separated integers, e.g. 0 or 3,17)"),
    (failure { try CommaSeparated<Int>(parsing: "1,,2") }, "element 2 is empty (comma-separated integers, e.g. 0 or 3,17)"),
    (failure { try CommaSeparated<Int>(parsing: "1,") }, "element 2 is empty (comma-separated integers, e.g. 0 or 3,17)"),
    (failure { try CommaSeparated<Int>(parsing: "1,a") }, "\"a\" is not an integer (comma-separated integers, e.g. 0 or 3,17)"),
    (failure { try CommaSeparated<Int>(parsing: "1.5") }, "\"1.5\" is not an integer (comma-separated integers, e.g. 0 or 3,17)"),
    (failure { try CommaSeparated<Double>(parsing: "0,x") }, "\"x\" is not a finite number (comma-separated numbers, e.g. 0,1e-3,0.1)"),
    (failure { try CommaSeparated<Double>(parsing: "inf") }, "\"inf\" is not a finite number (comma-separated numbers, e.g. 0,1e-3,0.1)"),
    (failure { try CommaSeparated<UnlearningMethod.Kind>(parsing: "ga-kkt,scrub") },
     "unknown method \"scrub\"; the methods are ga-kkt, ga-kkt+recover, retrain, fine-tune, neggrad, neggrad-plus, random-label, newton, minnorm-og (comma-separated methods)"),
    (failure { try CommaSeparated<BenchWorkload>(parsing: "W8") },
     "unknown workload \"W8\"; the workloads are W1, W2, W3, W4, W5, W6, W6a, W6b, W6c, W7 (comma-separated workloads)"),
    (failure { try CertificateList(parsing: "self,magic") },
     "unknown certificate \"magic\"; the certificates are self, retrained, exact, carried, witness (comma-separated certificates, or none)"),
  ])
  func badValues(message: String?, expected: String) {
    #expect(message == expected)
  }

  @Test("On the command line: a usage error (64) naming the flag and the element", arguments: [
    (["demo", "--forget", "0,,1"], "'--forget <list>': element 2 is empty"),
    (["bench", "--only", "W1,W8", "--no-peers"], "'--only <list>': unknown workload \"W8\""),
    (["reproduce", "privacy", "--methods", "ga-kkt,scrub"], "'--methods <list>': unknown method \"scrub\""),
    (["reproduce", "real-data", "--datasets", "iris"], "'--datasets <list>': unknown bundled data set \"iris\""),
    (["reproduce", "step-size", "--alphas", "0.5,x"], "'--alphas <list>': \"x\" is not a finite number"),
    (["reproduce", "depth", "--depths", ""], "'--depths <list>': the list is empty"),
    (["audit", "--model", "m", "--x", "x", "--frontier", "0,nan"], "'--frontier <list>': \"nan\" is not a finite number"),
  ])
  func commandLine(arguments: [String], message: String) throws {
    let r = try CLIRunner.run(arguments)
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.contains("Error: The value '") && r.stderr.contains(message), "\(r.stderr)")
  }
}
