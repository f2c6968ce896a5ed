/// How a large matrix product is cut into tiles that run in parallel.
///
/// The tiling is a pure function of the product's shape (`m × n` output,
/// inner dimension `k`) and of fixed constants, never of the number of cores,
/// threads or concurrent callers. Every tile is one single-threaded BLAS call
/// on the same operands, so each output entry is summed in the same order
/// whoever runs the tiles and in whatever order: the product's bits depend
/// only on the operands and the BLAS kernel set.
///
/// This replaces OpenBLAS's own threading, whose partition of the work follows
/// its global thread count (`openblas_set_num_threads`, `OPENBLAS_NUM_THREADS`);
/// an entry computed by a main micro-kernel or by an edge kernel is summed in a
/// different order on the AVX2 and generic kernels, so the same product gave
/// other bits whenever the thread count changed, even from another thread
/// while the product ran (docs/PERFORMANCE.md, "Determinism").
public struct ProductTiling: Sendable, Equatable {
  /// Rows of the output per tile.
  public static let tileRows = 128
  /// Columns of the output per tile.
  public static let tileColumns = 512
  /// Products with fewer multiply–adds than this (`m·n·k`) run as one call.
  public static let parallelThreshold = 1 << 21

  /// The half-open row ranges of the output, in order.
  public let rowRanges: [Range<Int>]
  /// The half-open column ranges of the output, in order.
  public let columnRanges: [Range<Int>]

  /// The tiling of an `m × n` output with inner dimension `k`: one tile when
  /// `m·n·k < parallelThreshold`, else row blocks of ``tileRows`` and column
  /// blocks of ``tileColumns`` (the last of each shorter).
  ///
  /// - Complexity: O(m / tileRows + n / tileColumns).
  public init(rows m: Int, columns n: Int, inner k: Int) {
    if m <= 0 || n <= 0 || Double(m) * Double(n) * Double(k) < Double(Self.parallelThreshold) {
      rowRanges = [0..<max(m, 0)]
      columnRanges = [0..<max(n, 0)]
      return
    }
    rowRanges = Self.blocks(m, Self.tileRows)
    columnRanges = Self.blocks(n, Self.tileColumns)
  }

  /// The number of tiles.
  public var count: Int { rowRanges.count * columnRanges.count }

  /// Tile `t` (row-block-major order).
  public subscript(t: Int) -> (rows: Range<Int>, columns: Range<Int>) {
    (rowRanges[t / columnRanges.count], columnRanges[t % columnRanges.count])
  }

  /// The symmetric tiling of an `m × m` Gram matrix with inner dimension `k`:
  /// the pairs `(I, J)`, `I ≤ J`, of row blocks of ``tileRows`` (one pair when
  /// `m²k/2 < parallelThreshold`).
  ///
  /// - Complexity: O((m / tileRows)²).
  public static func upperBlocks(order m: Int, inner k: Int) -> [(Range<Int>, Range<Int>)] {
    let blocks = Double(m) * Double(m) * Double(k) / 2 < Double(parallelThreshold) ? [0..<m] : Self.blocks(m, tileRows)
    var pairs: [(Range<Int>, Range<Int>)] = []
    for i in blocks.indices { for j in i..<blocks.count { pairs.append((blocks[i], blocks[j])) } }
    return pairs
  }

  static func blocks(_ n: Int, _ size: Int) -> [Range<Int>] {
    stride(from: 0, to: n, by: size).map { $0..<min($0 + size, n) }
  }
}
