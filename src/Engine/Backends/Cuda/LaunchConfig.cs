using Engine.Backends.Cuda.Driver;

namespace Engine.Backends.Cuda;

/// <summary>
/// Every launch's grid and block, computed here and nowhere else. Grid-stride kernels get enough 256-thread
/// blocks to keep every multiprocessor full a few waves deep (fewer when the work is smaller); reductions and
/// softmax give each row a group of threads sized to the row, and split long reductions across blocks when
/// there are too few rows to fill the device.
/// </summary>
internal sealed class LaunchConfig
{
    public const int BlockSize = 256;
    private const int Waves = 4;
    private const int WarpSize = 32;

    private readonly DeviceProperties device;

    public LaunchConfig(DeviceProperties device)
    {
        // The kernels' warp reductions and the emulator assume 32-lane warps, as every NVIDIA GPU has.
        if (device.WarpSize != WarpSize)
            throw new NotSupportedException($"{device.Name}: warps of {device.WarpSize} threads; the kernels are written for {WarpSize}");
        this.device = device;
    }

    /// <summary>Blocks of <see cref="BlockSize"/> threads the device runs at once.</summary>
    private long ResidentBlocks => (long)device.MultiprocessorCount * Math.Max(1, device.MaxThreadsPerMultiprocessor / BlockSize);

    /// <summary>One thread per item (grid-stride beyond the cap).</summary>
    public LaunchShape Elementwise(long items)
    {
        long blocks = Math.Clamp((items + BlockSize - 1) / BlockSize, 1, ResidentBlocks * Waves);
        return new LaunchShape(new Dim3((uint)blocks), new Dim3(BlockSize));
    }

    /// <summary>
    /// Threads per row for row-wise kernels: a power of two from one warp to <see cref="BlockSize"/>, about the row
    /// length; the rest of the block's <see cref="BlockSize"/> threads take further rows.
    /// </summary>
    private static int ThreadsPerRow(long length) =>
        (int)Math.Clamp(length <= 1 ? 1 : 1L << (63 - (int)long.LeadingZeroCount(length)), WarpSize, BlockSize);

    /// <summary>A row group per row (softmax): block (threads per row, rows per block).</summary>
    public LaunchShape Rows(long rows, long length)
    {
        int perRow = ThreadsPerRow(length), rowsPerBlock = BlockSize / perRow;
        long blocks = Math.Clamp((rows + rowsPerBlock - 1) / rowsPerBlock, 1, ResidentBlocks * Waves * 16);
        return new LaunchShape(new Dim3((uint)blocks), new Dim3((uint)perRow, (uint)rowsPerBlock));
    }

    /// <summary>
    /// A row group per output, split over gridDim.y into chunks when the outputs alone leave the device idle;
    /// <paramref name="accumulatorBytes"/> sizes the shared scratch (one value per warp).
    /// </summary>
    public (LaunchShape Shape, long Splits, long Chunk) RowReduction(long outputs, long length, int accumulatorBytes)
    {
        int perRow = ThreadsPerRow(length), rowsPerBlock = BlockSize / perRow;
        long blocks = Math.Clamp((outputs + rowsPerBlock - 1) / rowsPerBlock, 1, ResidentBlocks * Waves * 16);
        long splits = Splits(blocks, length, minimumChunk: perRow * 16L);
        long chunk = (length + splits - 1) / splits;
        var shape = new LaunchShape(new Dim3((uint)blocks, (uint)splits), new Dim3((uint)perRow, (uint)rowsPerBlock), BlockSize / WarpSize * accumulatorBytes);
        return (shape, splits, Math.Max(1, chunk));
    }

    /// <summary>A thread per output, split over gridDim.y into chunks when there are too few outputs to fill the device.</summary>
    public (LaunchShape Shape, long Splits, long Chunk) ColumnReduction(long outputs, long length)
    {
        var shape = Elementwise(outputs);
        long splits = Splits(shape.Grid.X, length, minimumChunk: 32);
        long chunk = (length + splits - 1) / splits;
        return (shape with { Grid = shape.Grid with { Y = (uint)splits } }, splits, Math.Max(1, chunk));
    }

    private long Splits(long blocks, long length, long minimumChunk)
    {
        long wanted = ResidentBlocks * 2;
        if (blocks >= wanted || length < 2 * minimumChunk) return 1;
        return Math.Clamp(Math.Min((wanted + blocks - 1) / blocks, length / minimumChunk), 1, 65535);
    }
}
