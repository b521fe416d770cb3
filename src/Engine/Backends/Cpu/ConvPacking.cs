using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Backends.Cpu;

/// <summary>
/// Builds the operands of the implicit-GEMM convolution: zero-padded copies of input images, and packed panels of
/// the im2col matrix read straight from them (never materialised whole), in the layouts of
/// <see cref="GemmMicroKernel{T}"/>.
/// </summary>
internal static unsafe class ConvPacking
{
    /// <summary>
    /// Copies the <see cref="ImplicitConvShape.InChannels"/> planes of one contiguous image into <paramref name="padded"/>,
    /// each plane <see cref="ImplicitConvShape.PaddedHeight"/> x <see cref="ImplicitConvShape.PaddedWidth"/>, with input
    /// row i at padded row i + PadTop (likewise columns) and zeros where no input element lands.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PadImage<T>(in ImplicitConvShape shape, T* image, T* padded) where T : unmanaged
    {
        int height = shape.PaddedHeight, width = shape.PaddedWidth;
        int firstColumn = Math.Max(0, shape.PadLeft), sourceColumn = Math.Max(0, -shape.PadLeft);
        int columns = Math.Min(shape.Width - sourceColumn, width - firstColumn);
        for (int c = 0; c < shape.InChannels; c++)
        {
            T* plane = padded + c * shape.PaddedPlane;
            T* source = image + (long)c * shape.Height * shape.Width;
            for (int i = 0; i < height; i++)
            {
                var row = new Span<T>(plane + (long)i * width, width);
                int inputRow = i - shape.PadTop;
                if ((uint)inputRow >= (uint)shape.Height || columns <= 0)
                {
                    row.Clear();
                    continue;
                }
                row[..firstColumn].Clear();
                new ReadOnlySpan<T>(source + (long)inputRow * shape.Width + sourceColumn, columns).CopyTo(row.Slice(firstColumn, columns));
                row[(firstColumn + columns)..].Clear();
            }
        }
    }

    /// <summary>A run of output pixels of one output row inside a strip: where it starts in the strip and in a padded plane.</summary>
    public readonly record struct Run(int Start, int Length, int Offset);

    /// <summary>Splits the pixels [first, first + count) into runs that stay on one output row.</summary>
    public static int Runs(in ImplicitConvShape shape, int first, int count, Span<Run> runs)
    {
        int n = 0;
        for (int j = 0; j < count;)
        {
            int pixel = first + j;
            int length = Math.Min(shape.OutWidth - pixel % shape.OutWidth, count - j);
            runs[n++] = new Run(j, length, shape.PixelOffset(pixel));
            j += length;
        }
        return n;
    }

    /// <summary>
    /// Packs rows [k0, k0 + kc) of one group's im2col matrix, columns given by <paramref name="runs"/> (one strip of at
    /// most NR output pixels), as a kc x NR micro-panel of B: element (k, j) at dest[(k - k0) NR + j]. Columns past the
    /// strip are left as they are (the caller zeroes them once).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackStrip<T>(T* group, int* taps, int k0, int kc, ReadOnlySpan<Run> runs, int stride, int nr, T* dest) where T : unmanaged
    {
        for (int k = 0; k < kc; k++)
        {
            T* source = group + taps[k0 + k];
            T* row = dest + (long)k * nr;
            foreach (var run in runs)
                CopyRun(source + run.Offset, stride, row + run.Start, run.Length);
        }
    }

    /// <summary>
    /// Packs the transpose of a block of one group's im2col matrix, for the weight gradient: pixels [p0, p0 + kc) by
    /// reduction indices [j0, j0 + NR), element (p, j) at dest[(p - p0) NR + (j - j0)], zeros for j past the depth.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackTransposed<T>(T* group, int* taps, int j0, int columns, int* pixelOffsets, int kc, int nr, T* dest) where T : unmanaged
    {
        int* tap = taps + j0;
        for (int p = 0; p < kc; p++)
        {
            T* source = group + pixelOffsets[p];
            T* row = dest + (long)p * nr;
            int j = 0;
            for (; j < columns; j++) row[j] = source[tap[j]];
            for (; j < nr; j++) row[j] = default;
        }
    }

    /// <summary>dest[0..length) = source[0, stride, 2 stride, ...].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun<T>(T* source, int stride, T* dest, int length) where T : unmanaged
    {
        if (stride != 1)
        {
            for (int i = 0; i < length; i++) dest[i] = source[(long)i * stride];
            return;
        }
        int width = Vector512<T>.Count;
        if (length < width)
        {
            new ReadOnlySpan<T>(source, length).CopyTo(new Span<T>(dest, length));
            return;
        }
        int last = length - width;
        for (int i = 0; i < last; i += width)
            Vector512.Load(source + i).Store(dest + i);
        // The last vector may overlap the previous one; it rewrites the same values.
        Vector512.Load(source + last).Store(dest + last);
    }
}
