import Foundation

/// Whether OpenBLAS runs the fastest kernels this CPU supports: a pure decision.
///
/// Debian's OpenBLAS 0.3.21 picks its kernels at load time from the CPU model
/// number. On CPUs newer than its tables it silently falls back to the generic
/// `Prescott` kernels, 4–5× slower than the AVX2 (`Haswell`) or AVX-512
/// (`SkylakeX`) ones the CPU can run. OpenBLAS reads `OPENBLAS_CORETYPE` only
/// when it is loaded, so the remedy is for a program to re-execute itself with
/// the variable set; that is the executable's business (`unlearn` does it at
/// start), this type only decides. A value the user set is never overridden.
public struct BLASKernelSelection: Sendable, Equatable {
  /// The kernel family a CPU (or an OpenBLAS core) can run.
  ///
  /// Ordered by speed: `generic` (neither AVX2 nor AVX-512; the `Prescott`
  /// kernels) `< avx2` (AVX2 with FMA; `Haswell`) `< avx512` (AVX-512 F, DQ, BW,
  /// VL and CD; `SkylakeX`).
  public enum Capability: Int, Sendable, Comparable {
    case generic = 0, avx2 = 1, avx512 = 2
    /// Whether `a` is a slower kernel family than `b`.
    ///
    /// - Complexity: O(1).
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
  }

  /// What to do about the kernels.
  public enum Decision: Sendable, Equatable {
    /// The chosen kernels already match the CPU (or nothing better is known).
    case keep
    /// The user set `OPENBLAS_CORETYPE`: respected as it is.
    case userChoice(String)
    /// Re-execute with `OPENBLAS_CORETYPE` set to this core name.
    case reexecute(coreType: String)
  }

  /// The environment variable OpenBLAS reads at load time.
  public static let coreTypeVariable = "OPENBLAS_CORETYPE"
  /// Pretends OpenBLAS chose this core (to test the re-execution on any machine).
  public static let assumedCoreVariable = "UNLEARN_BLAS_ASSUME_CORE"
  /// Set by us before re-executing, so that a second generic choice cannot loop.
  public static let guardVariable = "UNLEARN_BLAS_REEXECUTED"

  /// The kernel family of an OpenBLAS core name (case-insensitive); ``Capability/generic``
  /// for a name it does not know.
  ///
  /// - Complexity: O(1).
  public static func capability(ofCore name: String) -> Capability {
    switch name.lowercased() {
    case "skylakex", "cooperlake", "sapphirerapids": return .avx512
    case "haswell", "zen", "skylake", "zen2", "zen3": return .avx2
    default: return .generic
    }
  }

  /// The kernel family the CPU supports, from its feature flags (as in `/proc/cpuinfo`).
  ///
  /// - Parameter flags: The CPU's feature flags, e.g. `"avx2"`, `"fma"`, `"avx512f"`.
  /// - Complexity: O(1).
  public static func capability(ofCPUFlags flags: Set<String>) -> Capability {
    if ["avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd"].allSatisfy(flags.contains) { return .avx512 }
    if ["avx2", "fma"].allSatisfy(flags.contains) { return .avx2 }
    return .generic
  }

  /// The OpenBLAS core name that runs a kernel family: `"SkylakeX"`, `"Haswell"`,
  /// or `nil` for ``Capability/generic`` (nothing to switch to).
  ///
  /// - Complexity: O(1).
  public static func coreName(for capability: Capability) -> String? {
    switch capability {
    case .avx512: return "SkylakeX"
    case .avx2: return "Haswell"
    case .generic: return nil
    }
  }

  /// The decision for a chosen core, the CPU's flags and the environment: a pure function.
  ///
  /// In order: a non-empty ``coreTypeVariable`` is the user's choice; a set
  /// ``guardVariable`` means this process was already re-executed, so keep;
  /// otherwise re-execute when the CPU supports a faster family than the chosen
  /// core and a core name for it is known.
  ///
  /// - Parameters:
  ///   - chosenCore: The core OpenBLAS chose (``BLAS/coreName``).
  ///   - cpuFlags: The CPU's feature flags (``cpuFlags()``).
  ///   - environment: The process environment.
  /// - Returns: What the executable should do.
  /// - Complexity: O(1).
  public static func decide(chosenCore: String, cpuFlags: Set<String>, environment: [String: String]) -> Decision {
    if let user = environment[coreTypeVariable], !user.isEmpty { return .userChoice(user) }
    if environment[guardVariable] != nil { return .keep }
    let cpu = capability(ofCPUFlags: cpuFlags)
    guard capability(ofCore: chosenCore) < cpu, let better = coreName(for: cpu) else { return .keep }
    return .reexecute(coreType: better)
  }

  /// The CPU feature flags of this machine, from the first `flags` (x86) or
  /// `Features` (ARM) line of `/proc/cpuinfo`; empty when unknown or not on Linux.
  ///
  /// - Complexity: Reads `/proc/cpuinfo` up to its first flags line.
  public static func cpuFlags() -> Set<String> {
    #if os(Linux)
    guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
    defer { fclose(file) }
    var line: UnsafeMutablePointer<CChar>? = nil
    var capacity = 0
    defer { free(line) }
    while getline(&line, &capacity, file) > 0 {
      let text = String(cString: line!)
      if text.hasPrefix("flags") || text.hasPrefix("Features") {
        guard let colon = text.firstIndex(of: ":") else { continue }
        return Set(text[text.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init))
      }
    }
    return []
    #else
    return []
    #endif
  }

  /// A one-line description of the BLAS in use, for `--verbose` output and benchmark reports:
  /// the core, who chose it, the threads per call and the tile workers.
  ///
  /// - Complexity: O(1) (one read of the process environment).
  public static var summary: String {
    let env = ProcessInfo.processInfo.environment
    var origin = "chosen by OpenBLAS"
    if let user = env[coreTypeVariable] {
      origin = env[guardVariable] != nil ? "set by unlearn (\(coreTypeVariable)=\(user))" : "set by the user (\(coreTypeVariable)=\(user))"
    }
    return "BLAS core \(BLAS.coreName), \(origin), \(BLAS.threadCount) thread per call, large products tiled over \(BLAS.tileWorkers) core(s)"
  }
}
