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

  @Test("--dry-run prints both scripts with the absolute binary and folder, and writes nothing")
  func dryRun() throws {
    let out = path("my sweep")
    let r = try CLIRunner.run(["sweep"] + grid + ["--shards", "3", "--out", out, "--time", "00:30:00", "--cpus-per-task", "2", "--dry-run"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("#SBATCH --array=0-2"))
    #expect(r.stdout.contains("#SBATCH --time=00:30:00"))
    #expect(r.stdout.contains("dir='\(out)'"))
    #expect(r.stdout.contains("reproduce linear-dimension --seeds=2 --m=6 --dimensions=20,40 \\\n  --shard \"$i/3\" --resume --threads 2"))
    #expect(r.stdout.contains("unlearn=\(CLIRunner.binary.resolvingSymlinksInPath().path)"))
    #expect(r.stdout.contains("--dependency=afterok:<array job id>"))
    #expect(!FileManager.default.fileExists(atPath: out))
    // `sweep submit` is the same command.
    let explicit = try CLIRunner.run(["sweep", "submit"] + grid + ["--shards", "3", "--out", out, "--time", "00:30:00", "--cpus-per-task", "2", "--dry-run"])
    #expect(explicit.stdout == r.stdout)
  }

  @Test("Bad input: shards beyond the grid (with its size), 0 shards, a malformed --time, an unknown experiment: exit 64")
  func badInput() throws {
    let tooMany = try CLIRunner.run(["sweep"] + grid + ["--shards", "5", "--out", path("x"), "--dry-run"])
    #expect(tooMany.status == 64)
    #expect(tooMany.stderr.contains("--shards 5 is more than the 4 grid points"))
    let zero = try CLIRunner.run(["sweep"] + grid + ["--shards", "0", "--out", path("x"), "--dry-run"])
    #expect(zero.status == 64 && zero.stderr.contains("--shards must be at least 1"))
    let time = try CLIRunner.run(["sweep"] + grid + ["--shards", "2", "--out", path("x"), "--time", "90m", "--dry-run"])
    #expect(time.status == 64 && time.stderr.contains("--time takes HH:MM:SS"))
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
