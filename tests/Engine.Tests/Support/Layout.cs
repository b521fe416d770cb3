namespace Engine.Tests.Support;

/// <summary>How a test input is laid out in memory; every layout shows the same logical values.</summary>
public enum Layout
{
    /// <summary>Row-major, no gaps.</summary>
    Contiguous,
    /// <summary>Stored with the dimensions reversed and permuted back (column-major for a matrix).</summary>
    Transposed,
    /// <summary>Every second element of a wider storage along the last axis, starting at offset 1; the gaps hold garbage.</summary>
    Strided,
    /// <summary>The first dimension larger than 1 is a size-1 dimension expanded with stride 0 (the values repeat along it).</summary>
    Expanded,
}
