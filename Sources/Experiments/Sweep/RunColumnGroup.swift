/// A group of `runs.csv` columns that several experiments' rows share (such as the
/// measurements of ``UnlearningMeasurement``): a field of this type in a row is
/// flattened by ``RunRowCodec`` — its own coding keys are columns of the row, and
/// the key of the field itself names no column.
package protocol RunColumnGroup: Codable, Sendable {}
