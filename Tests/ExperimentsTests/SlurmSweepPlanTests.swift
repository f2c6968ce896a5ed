import Experiments
import Foundation
import Testing
import Cluster

/// `unlearn sweep`'s scripts and checks, without a scheduler.
@Suite("Slurm sweep plans: scripts, quoting, bad input")
struct SlurmSweepPlanTests {
  /// linear-dimension, 3 seeds × d ∈ {20, 40, 60}: 9 grid points.
  var options: ExperimentOptions {
    var o = ExperimentOptions()
    o.seeds = 3
    o.examples = 6
    o.dimensions = [20, 40, 60]
    o.kappas = [1e-5, 0.03]
    return o
  }

  func plan(shards: Int = 4, output: String = "/scratch/my sweep", partition: String? = "short",
            time: String? = "02:00:00", cpus: Int = 2) throws -> SlurmSweepPlan {
    try SlurmSweepPlan(experiment: "linear-dimension", options: options, shards: shards, output: URL(fileURLWithPath: output),
                       binary: "/opt/unlearn dir/bin/unlearn", partition: partition,
                       timeLimit: try time.map { try SlurmTimeLimit(parsing: $0) }, cpusPerTask: cpus)
  }

  @Test("The array script runs N tasks 0…N−1, each one shard with --resume, --config DIR/config.json and --threads = CPUs")
  func arrayScript() throws {
    let p = try plan()
    let script = p.arrayScript
    let lines = script.split(separator: "\n").map(String.init)
    #expect(lines.first == "#!/bin/bash")
    #expect(lines.contains("#SBATCH --array=0-3"))
    #expect(lines.contains("#SBATCH --cpus-per-task=2"))
    #expect(lines.contains("#SBATCH --partition=short"))
    #expect(lines.contains("#SBATCH --time=02:00:00"))
    #expect(lines.contains("#SBATCH --output=\"/scratch/my sweep/logs/shard-%a.job-%A.out\""))
    // Absolute, shell-quoted paths: the binary and the folder have spaces.
    #expect(lines.contains("unlearn='/opt/unlearn dir/bin/unlearn'"))
    #expect(lines.contains("dir='/scratch/my sweep'"))
    #expect(script.contains("exec \"$unlearn\" reproduce linear-dimension --config \"$dir/config.json\" \\\n"
                            + "  --shard \"$i/4\" --resume --threads 2 --out \"$dir/shards/$i\"\n"))
    // No option is spelt out in the script: they all come from config.json.
    #expect(!script.contains("--seeds") && !script.contains("--dimensions") && !script.contains("--kappas"))
    #expect(script.contains("i=\"${SLURM_ARRAY_TASK_ID:?"))
    #expect(p.gridSize == 9)
    #expect((0..<4).map(p.points(inShard:)) == [3, 2, 2, 2])
  }

  @Test("The script runs in bash: every task gets its own shard and folder, the paths with spaces intact")
  func scriptRunsInBash() throws {
    let p = try plan(shards: 3, partition: nil, time: nil, cpus: 1)
    #expect(!p.arrayScript.contains("--partition") && !p.arrayScript.contains("--time"))
    // Replace `exec "$unlearn"` with printing the words, then run the script as task 2.
    let dry = p.arrayScript.replacingOccurrences(of: "exec \"$unlearn\"", with: "printf '[%s]' \"$unlearn\"")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", dry]
    process.environment = ["SLURM_ARRAY_TASK_ID": "2", "PATH": "/usr/bin:/bin"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(out == "[/opt/unlearn dir/bin/unlearn][reproduce][linear-dimension][--config][/scratch/my sweep/config.json]"
                 + "[--shard][2/3][--resume][--threads][1][--out][/scratch/my sweep/shards/2]")
  }

  @Test("The merge script merges every shard into DIR, builds the report, and is cancelled if a task fails")
  func mergeScript() throws {
    let script = try plan().mergeScript
    #expect(script.contains("#SBATCH --kill-on-invalid-dep=yes"))
    #expect(script.contains("#SBATCH --output=\"/scratch/my sweep/logs/merge.job-%j.out\""))
    #expect(script.contains("for ((i = 0; i < 4; i++)); do shards+=(\"$dir/shards/$i\"); done"))
    #expect(script.contains("\"$unlearn\" merge \"${shards[@]}\" --out \"$dir\" --force"))
    #expect(script.contains("\"$unlearn\" report \"$dir\" --no-recursive --out \"$dir/report.html\""))
  }

  @Test("The tasks' options are the resolved options of the plan: the given ones (depths too) and the defaults")
  func configOfThePlan() throws {
    let depth = try SlurmSweepPlan(experiment: "depth", options: ExperimentOptions(seeds: 3, depths: [1, 2]), shards: 2,
                                   output: URL(fileURLWithPath: "/scratch/depth"), binary: "/bin/unlearn")
    #expect(depth.config.depths == [1, 2])
    #expect(depth.config.seeds == 3)
    #expect(depth.config.experiment == "depth")
    #expect(depth.config.maxIterations == DepthExperiment(options: ExperimentOptions()).options.maxIterations)
    #expect(depth.gridSize == 6)
    #expect(depth.manifest.options == depth.config)
    #expect(depth.configURL.path == "/scratch/depth/config.json")
    #expect(depth.arrayScript.contains("reproduce depth --config \"$dir/config.json\""))
  }

  @Test("Bad input is refused with the reason: shards < 1, more shards than grid points (with the grid size), CPUs, partition, experiment")
  func badInput() throws {
    #expect(throws: ClusterError.invalidSetting(.shards, "the number of shards must be at least 1 (got 0)")) { try plan(shards: 0) }
    #expect(throws: ClusterError.invalidSetting(.shards, "10 shards are more than the 9 grid points of this linear-dimension sweep; use at most 9 shards (or widen the grid)")) {
      try plan(shards: 10)
    }
    #expect(throws: ClusterError.invalidSetting(.cpusPerTask, "the CPUs per task must be at least 1 (got 0)")) { try plan(cpus: 0) }
    #expect(throws: ClusterError.self) { try plan(partition: "short\n#SBATCH --mem=1T") }
    #expect(throws: ClusterError.self) { try plan(partition: "") }
    #expect(throws: ClusterError.self) { try plan(output: "/scratch/\"quoted\"") }
    #expect(throws: ClusterError.self) { try plan(output: "/scratch/100%") }
    #expect(throws: SweepError.self) {
      try SlurmSweepPlan(experiment: "figure-9", options: options, shards: 1, output: URL(fileURLWithPath: "/x"), binary: "/bin/unlearn")
    }
    #expect(try plan(shards: 9).arrayScript.contains("#SBATCH --array=0-8"))
    #expect(try plan(shards: 1).arrayScript.contains("#SBATCH --array=0-0"))
  }

  @Test("Time limits: HH:MM:SS and D-HH:MM:SS, nothing else")
  func timeLimits() throws {
    #expect(try SlurmTimeLimit(parsing: "02:00:00").seconds == 7200)
    #expect(try SlurmTimeLimit(parsing: "100:30:05").description == "4-04:30:05")
    #expect(try SlurmTimeLimit(parsing: "23:59:59").description == "23:59:59")
    #expect(try SlurmTimeLimit(parsing: "1-12:00:00").seconds == 129_600)
    #expect(try SlurmTimeLimit(parsing: "1-12:00:00").description == "1-12:00:00")
    for bad in ["", "1:5", "2h", "01:60:00", "01:00:60", "00:00:00", "1-24:00:00", "-1:00:00", "01:00", "a-01:00:00", "01:00:00:00", "1:2:3"] {
      #expect(throws: ClusterError.self, "accepted \(bad)") { try SlurmTimeLimit(parsing: bad) }
    }
  }

  @Test("Shell quoting: safe words unchanged, everything else single-quoted")
  func quoting() {
    #expect(ShellQuoting.quote("/usr/bin/unlearn") == "/usr/bin/unlearn")
    #expect(ShellQuoting.quote("--kappas=1e-05,0.03") == "--kappas=1e-05,0.03")
    #expect(ShellQuoting.quote("a b") == "'a b'")
    #expect(ShellQuoting.quote("it's $HOME") == "'it'\\''s $HOME'")
    #expect(ShellQuoting.quote("") == "''")
  }

  @Test("Writing a plan: scripts, logs/ and sweep.json; another sweep in the same folder is refused")
  func writeAndResume() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-plan-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let p = try plan(output: dir.path)
    try p.checkResumable()
    try p.write()
    #expect(try ExperimentOptions.readConfig(from: p.configURL) == p.config)
    #expect(try String(contentsOf: p.arrayScriptURL, encoding: .utf8) == p.arrayScript)
    #expect(try String(contentsOf: p.mergeScriptURL, encoding: .utf8) == p.mergeScript)
    #expect(FileManager.default.fileExists(atPath: p.logsURL.path))
    try p.record(.init(arrayJob: "17", mergeJob: "18", submitted: "2026-01-01T00:00:00Z"))
    // The same sweep again (other partition, time and CPUs are fine): accepted, the submissions kept.
    let again = try plan(output: dir.path, partition: "long", time: "1-00:00:00", cpus: 4)
    try again.checkResumable()
    try again.write()
    #expect(try SweepManifest.read(in: dir)?.submissions.map(\.arrayJob) == ["17"])
    // Other shards or other options: refused.
    #expect(throws: ClusterError.self) { try plan(shards: 3, output: dir.path).checkResumable() }
    var other = options
    other.seeds = 4
    let otherPlan = try SlurmSweepPlan(experiment: "linear-dimension", options: other, shards: 4, output: dir, binary: "/bin/unlearn")
    #expect(throws: ClusterError.self) { try otherPlan.checkResumable() }
    // A config.json of other options in the sweep folder itself (no sweep.json): refused, not overwritten.
    try FileManager.default.removeItem(at: dir.appendingPathComponent(SweepManifest.fileName))
    try otherPlan.config.writeConfig(to: p.configURL)
    #expect(throws: ClusterError.self) { try p.checkResumable() }
    try p.config.writeConfig(to: p.configURL)
    try p.checkResumable()
    // A shard folder run with other options (no sweep.json) is refused too.
    let shard = p.shardURL(1)
    try FileManager.default.createDirectory(at: shard, withIntermediateDirectories: true)
    var resolved = try ExperimentCatalog.make("linear-dimension", options: other).options
    resolved.experiment = "linear-dimension"
    try JSONEncoder().encode(resolved).write(to: shard.appendingPathComponent("config.json"))
    #expect(throws: ClusterError.self) { try p.checkResumable() }
  }
}
