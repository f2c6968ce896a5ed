import Experiments
import Foundation
import Testing

/// `unlearn sweep` through the built binary: dry runs, bad input, a missing or refusing
/// `sbatch` (a fake one on PATH), and `sweep status`. The real Slurm runs in scripts/test-slurm.sh.
@Suite("unlearn sweep (without Slurm)")
struct SweepCommandTests {
  let dir: URL
  /// A tiny linear-dimension grid: 2 seeds × d ∈ {20, 40} = 4 points.
  let grid = ["linear-dimension", "--seeds", "2", "--m", "6", "--dimensions", "20,40"]

  init() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-sweep-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

  /// A folder holding an executable `sbatch` with the given shell body (and nothing else on PATH but /bin).
  func fakeSbatch(_ body: String) throws -> [String: String] {
    let bin = dir.appendingPathComponent("fakebin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    let script = bin.appendingPathComponent("sbatch")
    try ("#!/bin/sh\n" + body + "\n").write(to: script, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
    return ["PATH": bin.path + ":/bin:/usr/bin"]
  }

  @Test("--dry-run prints config.json and both scripts with the absolute binary and folder, and writes nothing")
  func dryRun() throws {
    let out = path("my sweep")
    let r = try CLIRunner.run(["sweep"] + grid + ["--shards", "3", "--out", out, "--time", "00:30:00", "--cpus-per-task", "2", "--dry-run"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("#SBATCH --array=0-2"))
    #expect(r.stdout.contains("#SBATCH --time=00:30:00"))
    #expect(r.stdout.contains("dir='\(out)'"))
    #expect(r.stdout.contains("reproduce linear-dimension --config \"$dir/config.json\" \\\n  --shard \"$i/3\" --resume --threads 2"))
    let config = try Self.printedConfig(r.stdout)
    #expect(config.experiment == "linear-dimension" && config.seeds == 2 && config.examples == 6 && config.dimensions == [20, 40])
    #expect(r.stdout.contains("unlearn=\(CLIRunner.binary.resolvingSymlinksInPath().path)"))
    #expect(r.stdout.contains("--dependency=afterok:<array job id>"))
    #expect(!FileManager.default.fileExists(atPath: out))
    // `sweep submit` is the same command.
    let explicit = try CLIRunner.run(["sweep", "submit"] + grid + ["--shards", "3", "--out", out, "--time", "00:30:00", "--cpus-per-task", "2", "--dry-run"])
    #expect(explicit.stdout == r.stdout)
  }

  /// The text of the config.json printed after `# …/config.json` by `sweep --dry-run`.
  static func printedConfigText(_ stdout: String) throws -> String {
    let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let header = try #require(lines.firstIndex { $0.hasPrefix("# ") && $0.contains("/config.json  (") })
    let end = try #require(lines[header...].firstIndex { $0 == "}" })
    return lines[(header + 1)...end].joined(separator: "\n")
  }

  /// The options printed by `sweep --dry-run`.
  static func printedConfig(_ stdout: String) throws -> ExperimentOptions {
    try ExperimentOptions.decodeConfig(Data(try printedConfigText(stdout).utf8))
  }

  /// Every experiment option (by its config.json key) as flags, each set to a value no experiment defaults to.
  static let everyOption: [String: [String]] = [
    "seeds": ["--seeds", "2"], "examples": ["--m", "9"], "dimension": ["--d", "50"], "width": ["--width", "7"],
    "trainOutputLayer": ["--train-output-layer"], "alphas": ["--alphas=-0.5,0.3333333333333333,1e-05"],
    "kappas": ["--kappas", "0,1e-05"], "dimensions": ["--dimensions", "10,20"], "rhos": ["--rhos", "0.1,0.95"],
    "forgetSizes": ["--sizes", "1,4"], "testExamples": ["--test-m", "30"], "meanNorm": ["--mean-norm", "0.7"], "xor": ["--xor"],
    "tolerance": ["--tolerance", "0.005"], "maxIterations": ["--max-iterations", "100"], "steps": ["--steps", "0,5"],
    "methods": ["--methods", "newton,minnorm-og"], "populationSize": ["--population", "6"], "datasets": ["--datasets", "digits"],
    "liftDimensions": ["--lifts", "0,256"], "depths": ["--depths", "1,2"],
  ]
  /// The options `everyOption` gives the depth experiment.
  static var everyOptionConfig: ExperimentOptions {
    var o = ExperimentOptions(seeds: 2, examples: 9, dimension: 50, width: 7, trainOutputLayer: true, alphas: [-0.5, 1.0 / 3.0, 1e-5],
                              kappas: [0, 1e-5], dimensions: [10, 20], rhos: [0.1, 0.95], forgetSizes: [1, 4], testExamples: 30,
                              meanNorm: 0.7, xor: true, tolerance: 0.005, maxIterations: 100, steps: [0, 5],
                              methods: ["newton", "minnorm-og"], populationSize: 6, datasets: ["digits"], liftDimensions: [0, 256],
                              depths: [1, 2])
    o.experiment = "depth"
    return o
  }

  @Test("sweep depth --depths 1,2 --shards 2: the tasks run depths 1 and 2, read from the sweep's config.json")
  func depthsReachTheTasks() throws {
    let out = path("depth")
    let words = ["depth", "--depths", "1,2", "--seeds", "1", "--m", "6", "--d", "4", "--width", "3", "--max-iterations", "50",
                 "--shards", "2", "--out", out]
    let dry = try CLIRunner.run(["sweep"] + words + ["--dry-run"])
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(dry.stdout.contains("# \(out)/config.json  ("))
    #expect(try Self.printedConfig(dry.stdout).depths == [1, 2])
    #expect(dry.stdout.contains("exec \"$unlearn\" reproduce depth --config \"$dir/config.json\" \\\n  --shard \"$i/2\" --resume"))
    #expect(!FileManager.default.fileExists(atPath: out))
    // Submitted (to a fake sbatch): config.json holds the depths, and each array task, run as Slurm would run it, gets its depth.
    let env = try fakeSbatch("case \"$*\" in *--dependency*) echo 8;; *) echo 7;; esac")
    let r = try CLIRunner.run(["sweep"] + words, environment: env)
    #expect(r.status == 0, "\(r.stderr)")
    let config = try ExperimentOptions.readConfig(from: URL(fileURLWithPath: out + "/config.json"))
    #expect(config.depths == [1, 2])
    #expect(config.experiment == "depth" && config.maxIterations == 50 && config.seeds == 1)
    for task in 0..<2 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/bash")
      process.arguments = [out + "/sweep.sbatch"]
      process.environment = ["SLURM_ARRAY_TASK_ID": String(task), "PATH": "/usr/bin:/bin"]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "task \(task)")
      let runs = try String(contentsOfFile: out + "/shards/\(task)/runs.csv", encoding: .utf8).split(separator: "\n")
      let header = runs[0].split(separator: ",", omittingEmptySubsequences: false)
      let column = try #require(header.firstIndex(of: "L"))
      #expect(runs.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[column] } == ["\(task + 1)"], "task \(task)")
      #expect(try String(contentsOfFile: out + "/shards/\(task)/config.json", encoding: .utf8)
              == String(contentsOfFile: out + "/config.json", encoding: .utf8))
    }
    // The merge job's commands: every depth merged, and the folder's config.json unchanged.
    #expect(try CLIRunner.run(["merge", out + "/shards/0", out + "/shards/1", "--out", out, "--force"]).status == 0)
    #expect(try CLIRunner.run(["sweep", "status", out]).stdout.contains("merged runs.csv: 2 of 2 grid points"))
    #expect(try ExperimentOptions.readConfig(from: URL(fileURLWithPath: out + "/config.json")) == config)
  }

  @Test("Every experiment option reaches config.json from its flag, and --config gives the same options back")
  func everyOptionFromFlagsOrConfig() throws {
    // One flag per field of ExperimentOptions, every field set (checked by reflection): a field added without
    // a flag and a value here fails.
    #expect(Set(Self.everyOption.keys).union(["experiment"]) == Set(ExperimentOptions.fieldNames))
    let expected = Self.everyOptionConfig
    let unset = Mirror(reflecting: expected).children.filter { Mirror(reflecting: $0.value).children.isEmpty }.compactMap(\.label)
    #expect(unset.isEmpty, "set these fields in the test: \(unset)")
    let words = Self.everyOption.keys.sorted().flatMap { Self.everyOption[$0]! }
    let sweep = ["--shards", "1", "--out", path("all"), "--dry-run"]
    let fromFlags = try CLIRunner.run(["sweep", "depth"] + words + sweep)
    #expect(fromFlags.status == 0, "\(fromFlags.stderr)")
    #expect(try Self.printedConfig(fromFlags.stdout) == expected)
    // The same options from a config file: the same config.json and scripts.
    let file = path("all.json")
    try Self.printedConfigText(fromFlags.stdout).write(toFile: file, atomically: true, encoding: .utf8)
    let fromConfig = try CLIRunner.run(["sweep", "depth", "--config", file] + sweep)
    #expect(fromConfig.status == 0, "\(fromConfig.stderr)")
    #expect(fromConfig.stdout == fromFlags.stdout)
    // --config with any experiment flag is refused, naming the flag.
    for (field, flag) in Self.everyOption {
      let r = try CLIRunner.run(["sweep", "depth", "--config", file] + flag + sweep)
      #expect(r.status == 64, "\(field)")
      #expect(r.stderr.contains("--config cannot be combined with experiment options (got \(flag[0].split(separator: "=")[0]))"), "\(field): \(r.stderr)")
    }
  }

  @Test("--config errors: missing file 74, malformed 65, invalid value 65, another experiment 64, with flags 64")
  func configErrors() throws {
    func write(_ name: String, _ text: String) throws -> String {
      try text.write(toFile: path(name), atomically: true, encoding: .utf8)
      return path(name)
    }
    let missing = try CLIRunner.run(["reproduce", "depth", "--config", path("nothere.json")])
    #expect(missing.status == 74)
    #expect(missing.stderr == "error: \(path("nothere.json")): no such file\n", "\(missing.stderr)")
    let notJSON = try CLIRunner.run(["reproduce", "depth", "--config", try write("bad.json", "{\"depths\": [1, 2")])
    #expect(notJSON.status == 65 && notJSON.stderr.hasPrefix("error: ") && notJSON.stderr.split(separator: "\n").count == 1, "\(notJSON.stderr)")
    let typo = try CLIRunner.run(["sweep", "depth", "--config", try write("typo.json", "{\"depth\": [1, 2]}"), "--shards", "2", "--out", path("t"), "--dry-run"])
    #expect(typo.status == 65 && typo.stderr.contains("unknown option \"depth\""), "\(typo.stderr)")
    let invalid = try CLIRunner.run(["reproduce", "depth", "--config", try write("zero.json", "{\"depths\": [0, 1]}")])
    #expect(invalid.status == 65 && invalid.stderr.contains("--depths must be ≥ 1 (got 0)"), "\(invalid.stderr)")
    let method = try CLIRunner.run(["reproduce", "privacy", "--config", try write("method.json", "{\"methods\": [\"scrub\"]}")])
    #expect(method.status == 65 && method.stderr.contains("unknown method \"scrub\""), "\(method.stderr)")
    let other = try CLIRunner.run(["reproduce", "mixture", "--config", try write("depth.json", "{\"experiment\": \"depth\"}")])
    #expect(other.status == 64 && other.stderr.contains("holds options of the depth experiment, not of mixture"), "\(other.stderr)")
    let both = try CLIRunner.run(["reproduce", "depth", "--config", path("depth.json"), "--depths", "1,2", "--seeds", "3"])
    #expect(both.status == 64 && both.stderr.contains("--config cannot be combined with experiment options (got --seeds, --depths)"), "\(both.stderr)")
  }

  @Test("Bad input: shards beyond the grid (with its size), 0 shards, a malformed --time, an unknown experiment: exit 64")
  func badInput() throws {
    let tooMany = try CLIRunner.run(["sweep"] + grid + ["--shards", "5", "--out", path("x"), "--dry-run"])
    #expect(tooMany.status == 64)
    #expect(tooMany.stderr.contains("--shards: 5 shards are more than the 4 grid points"))
    let zero = try CLIRunner.run(["sweep"] + grid + ["--shards", "0", "--out", path("x"), "--dry-run"])
    #expect(zero.status == 64 && zero.stderr.contains("--shards must be at least 1"))
    let time = try CLIRunner.run(["sweep"] + grid + ["--shards", "2", "--out", path("x"), "--time", "90m", "--dry-run"])
    #expect(time.status == 64 && time.stderr.contains("--time: a time limit takes HH:MM:SS"))
    let unknown = try CLIRunner.run(["sweep", "figure-9", "--shards", "2", "--out", path("x"), "--dry-run"])
    #expect(unknown.status == 64 && unknown.stderr.contains("unknown experiment \"figure-9\""))
  }

  @Test("No sbatch on PATH: one clear line, exit 69, nothing written")
  func sbatchMissing() throws {
    let r = try CLIRunner.run(["sweep"] + grid + ["--shards", "2", "--out", path("s")], environment: ["PATH": "/nonexistent"])
    #expect(r.status == 69)
    #expect(r.stderr.hasPrefix("error: sbatch not found on PATH"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: path("s")))
  }

  @Test("sbatch refusing the job: its message is passed on, exit 69")
  func sbatchRefuses() throws {
    let env = try fakeSbatch("echo 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2\nexit 1")
    let r = try CLIRunner.run(["sweep"] + grid + ["--shards", "2", "--out", path("s"), "--partition", "nope"], environment: env)
    #expect(r.status == 69)
    #expect(r.stderr.contains("sbatch refused sweep.sbatch (exit 1): sbatch: error: Batch job submission failed: Invalid partition name specified"), "\(r.stderr)")
  }

  @Test("Submission: the array job, then the merge job after it; ids printed and recorded; other options refused")
  func submission() throws {
    let calls = path("calls.txt")
    let env = try fakeSbatch("""
      echo "$@" >> '\(calls)'
      case "$*" in *--dependency=afterok:4242*) echo 4243;; *--dependency*) exit 3;; *) echo '4242;cluster';; esac
      """)
    let out = path("s")
    let r = try CLIRunner.run(["sweep"] + grid + ["--shards", "2", "--out", out], environment: env)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("submitted array job 4242 (2 tasks, 4 grid points) and merge job 4243"))
    #expect(r.stdout.contains("squeue -j 4242,4243"))
    let log = try String(contentsOfFile: calls, encoding: .utf8).split(separator: "\n")
    #expect(log == ["--parsable \(out)/sweep.sbatch", "--parsable --dependency=afterok:4242 \(out)/merge.sbatch"])
    let manifest = try String(contentsOfFile: out + "/sweep.json", encoding: .utf8)
    #expect(manifest.contains("\"arrayJob\" : \"4242\"") && manifest.contains("\"mergeJob\" : \"4243\""))
    #expect(FileManager.default.fileExists(atPath: out + "/logs"))
    // The same folder with other options: refused before anything is submitted.
    let other = try CLIRunner.run(["sweep", "linear-dimension", "--seeds", "3", "--m", "6", "--dimensions", "20,40", "--shards", "2", "--out", out],
                                  environment: env)
    #expect(other.status == 64)
    #expect(other.stderr.contains("with other options"), "\(other.stderr)")
    #expect(try String(contentsOfFile: calls, encoding: .utf8).split(separator: "\n").count == 2)
  }

  @Test("sweep status of shards run by hand (no Slurm): a table per shard, JSON, and the merged count")
  func status() throws {
    let out = path("manual")
    // Shard 0 of 2 complete, shard 1 not run yet.
    let shard = try CLIRunner.run(["reproduce"] + grid + ["--shard", "0/2", "--out", out + "/shards/0", "--threads", "1"])
    #expect(shard.status == 0, "\(shard.stderr)")
    try FileManager.default.createDirectory(atPath: out + "/shards/1", withIntermediateDirectories: true)
    let first = try CLIRunner.run(["reproduce"] + grid + ["--shard", "1/2", "--out", out + "/shards/1", "--threads", "1"])
    #expect(first.status == 0)
    try FileManager.default.removeItem(atPath: out + "/shards/1/runs.csv")
    let text = try CLIRunner.run(["sweep", "status", out])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("linear-dimension sweep in \(out): 2 shards, 4 grid points"))
    let lines = text.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
    #expect(lines.contains("0 2/2 complete"))
    #expect(lines.contains("1 0/2 not started"))
    #expect(lines.contains("total 2/4 partial"))
    let json = try CLIRunner.run(["sweep", "status", out, "--json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["done"] as? Int == 2 && object["total"] as? Int == 4 && object["state"] as? String == "partial")
    #expect((object["shards"] as? [[String: Any]])?.count == 2)
    #expect(object["merged_points"] is NSNull || object["merged_points"] == nil)
    // Finish shard 1, merge: the status says so.
    #expect(try CLIRunner.run(["reproduce"] + grid + ["--shard", "1/2", "--out", out + "/shards/1", "--resume"]).status == 0)
    #expect(try CLIRunner.run(["merge", out + "/shards/0", out + "/shards/1", "--out", out]).status == 0)
    let done = try CLIRunner.run(["sweep", "status", out])
    #expect(done.stdout.contains("merged runs.csv: 4 of 4 grid points"))
    let missing = try CLIRunner.run(["sweep", "status", path("nothing")])
    #expect(missing.status == 74 && missing.stderr.contains("no such folder"))
  }
}
