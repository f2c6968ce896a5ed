import Foundation
import LinearAlgebra

/// Re-executes `unlearn` with faster OpenBLAS kernels when OpenBLAS chose generic
/// ones on a CPU that runs better ones (``BLASKernelSelection`` decides).
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` only when it is loaded, so the only remedy
/// is a fresh process image: `execv("/proc/self/exe")` with the variable set and
/// a guard variable against a loop. Replacing the process is the executable's
/// business, not the library's, which is why this lives here.
enum FastKernels {
  /// Returns only when no re-execution is needed, or when it failed (the program
  /// then goes on with the kernels it has).
  static func ensure(arguments: [String] = CommandLine.arguments) {
    #if os(Linux)
    let environment = ProcessInfo.processInfo.environment
    // UNLEARN_BLAS_ASSUME_CORE pretends OpenBLAS chose that core: a testing aid for this very path.
    let chosen = environment[BLASKernelSelection.assumedCoreVariable] ?? BLAS.coreName
    let decision = BLASKernelSelection.decide(chosenCore: chosen, cpuFlags: BLASKernelSelection.cpuFlags(),
                                              environment: environment)
    guard case .reexecute(let core) = decision else { return }
    setenv(BLASKernelSelection.coreTypeVariable, core, 1)
    setenv(BLASKernelSelection.guardVariable, "1", 1)
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
    argv.append(nil)
    execv("/proc/self/exe", &argv)
    // execv only returns on failure: carry on with the generic kernels.
    unsetenv(BLASKernelSelection.coreTypeVariable)
    for p in argv { free(p) }
    #endif
  }
}
