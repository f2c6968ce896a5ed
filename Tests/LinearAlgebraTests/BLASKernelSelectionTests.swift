import LinearAlgebra
import Testing

@Suite("BLAS kernel selection")
struct BLASKernelSelectionTests {
  let avx512: Set<String> = ["fma", "avx2", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd"]

  @Test("A generic core on an AVX-512 CPU triggers a re-execution with SkylakeX")
  func genericOnAVX512() {
    #expect(BLASKernelSelection.decide(chosenCore: "Prescott", cpuFlags: avx512, environment: [:]) == .reexecute(coreType: "SkylakeX"))
  }

  @Test("A generic core on an AVX2 CPU re-executes with Haswell")
  func genericOnAVX2() {
    #expect(BLASKernelSelection.decide(chosenCore: "Prescott", cpuFlags: ["avx2", "fma"], environment: [:]) == .reexecute(coreType: "Haswell"))
  }

  @Test("Matching kernels are kept", arguments: ["SkylakeX", "Cooperlake", "Haswell", "Zen"])
  func keep(core: String) {
    let flags: Set<String> = BLASKernelSelection.capability(ofCore: core) == .avx512 ? avx512 : ["avx2", "fma"]
    #expect(BLASKernelSelection.decide(chosenCore: core, cpuFlags: flags, environment: [:]) == .keep)
  }

  @Test("A user's OPENBLAS_CORETYPE is never overridden, and a second generic choice does not loop")
  func userChoiceAndGuard() {
    #expect(BLASKernelSelection.decide(chosenCore: "Prescott", cpuFlags: avx512, environment: ["OPENBLAS_CORETYPE": "Prescott"]) == .userChoice("Prescott"))
    #expect(BLASKernelSelection.decide(chosenCore: "Prescott", cpuFlags: avx512, environment: [BLASKernelSelection.guardVariable: "1"]) == .keep)
    #expect(BLASKernelSelection.decide(chosenCore: "Prescott", cpuFlags: ["sse2"], environment: [:]) == .keep)
  }

  @Test("The loaded BLAS reports a core name and a thread count")
  func runtime() {
    #expect(!BLAS.coreName.isEmpty)
    #expect(BLAS.threadCount >= 1)
  }
}
