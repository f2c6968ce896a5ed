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
/// while the product ran (docs/PERFORMANCE.md, "Determinism and its cost").
///
/// The plan: below ``parallelThreshold`` multiply–adds, one tile. Above it, the
/// output is cut into about ``targetTiles`` tiles, as large as possible (a
/// tile's call packs its operands once, so larger tiles waste less), by
/// halving the longer side (columns count half, as they are cheaper to cut
/// thin) while a block stays at least ``minimumRows`` × ``minimumColumns``.
/// Block sides are multiples of ``alignment`` except the last, so that only the
/// last block of each side meets the kernels' edge code.
public struct ProductTiling: Sendable, Equatable {
  /// Products with fewer multiply–adds than this (`m·n·k`) run as one call.
  public static let parallelThreshold = 1 << 21
  /// The number of tiles a large product is cut into (at most).
  public static let targetTiles = 8
  /// The fewest rows of a row block.
  public static let minimumRows = 64
  /// The fewest columns of a column block.
  public static let minimumColumns = 128
  /// Block sides are multiples of this (the widest register block of the kernels).
  public static let alignment = 16

  /// The half-open row ranges of the output, in order.
  public let rowRanges: [Range<Int>]
  /// The half-open column ranges of the output, in order.
  public let columnRanges: [Range<Int>]

  /// The tiling of an `m × n` output with inner dimension `k`.
  ///
  /// - Parameters:
  ///   - m: The rows of the output.
  ///   - n: The columns of the output.
  ///   - k: The inner dimension of the product.
  /// - Complexity: O(``targetTiles``).
  public init(rows m: Int, columns n: Int, inner k: Int) {
    guard m > 0, n > 0, Double(m) * Double(n) * Double(k) >= Double(Self.parallelThreshold) else {
      rowRanges = [0..<max(m, 0)]
      columnRanges = [0..<max(n, 0)]
      return
    }
    var (r, c) = (1, 1)
    while r * c < Self.targetTiles {
      let canSplitRows = m / (2 * r) >= Self.minimumRows, canSplitColumns = n / (2 * c) >= Self.minimumColumns
      if canSplitRows && (!canSplitColumns || m / r >= n / (2 * c)) {
        r *= 2
      } else if canSplitColumns {
        c *= 2
      } else {
        break
      }
    }
    rowRanges = Self.blocks(m, count: r)
    columnRanges = Self.blocks(n, count: c)
  }

  /// The number of tiles, `rowRanges.count · columnRanges.count`.
  ///
  /// - Complexity: O(1).
  public var count: Int { rowRanges.count * columnRanges.count }

  /// Tile `t`, in row-block-major order: its row range and column range.
  ///
  /// - Complexity: O(1).
  public subscript(t: Int) -> (rows: Range<Int>, columns: Range<Int>) {
    (rowRanges[t / columnRanges.count], columnRanges[t % columnRanges.count])
  }

  /// The symmetric tiling of an `m × m` Gram matrix with inner dimension `k`:
  /// the pairs `(I, J)`, `I ≤ J`, of row blocks. One block when `m²k/2` is below
  /// ``parallelThreshold``; else 4 blocks (10 pairs, the four diagonal ones half
  /// the work of the others), fewer when a block would have fewer than
  /// ``minimumRows`` rows.
  ///
  /// - Parameters:
  ///   - m: The order of the Gram matrix.
  ///   - k: The inner dimension (the columns of the factor).
  /// - Returns: The block pairs `(I, J)` with `I ≤ J`, row-block-major.
  /// - Complexity: O(1).
  public static func upperBlocks(order m: Int, inner k: Int) -> [(Range<Int>, Range<Int>)] {
    var count = 1
    if Double(m) * Double(m) * Double(k) / 2 >= Double(parallelThreshold) {
      while count < 4 && m / (2 * count) >= minimumRows { count *= 2 }
    }
    let blocks = Self.blocks(m, count: count)
    var pairs: [(Range<Int>, Range<Int>)] = []
    for i in blocks.indices { for j in i..<blocks.count { pairs.append((blocks[i], blocks[j])) } }
    return pairs
  }

  /// `n` cut into `count` blocks whose size is `⌈n / count⌉` rounded up to ``alignment``
  /// (the last one shorter; fewer blocks when the rounding leaves nothing for the last).
  static func blocks(_ n: Int, count: Int) -> [Range<Int>] {
    if count <= 1 { return [0..<n] }
    let per = n / count + (n % count == 0 ? 0 : 1)
    let size = (per + alignment - 1) / alignment * alignment
    return stride(from: 0, to: n, by: size).map { $0..<min($0 + size, n) }
  }
}
